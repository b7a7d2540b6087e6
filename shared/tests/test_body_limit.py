import importlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from mgi_shared.http_body_limit import BodyLimit

pytestmark = pytest.mark.unit


def client() -> httpx.AsyncClient:
    api = FastAPI()

    @api.post("/echo")
    async def echo(request: Request) -> dict[str, Any]:
        return {"size": len(await request.body())}

    api.add_middleware(BodyLimit, max_bytes=100)
    # In process: the middleware's logic is what is tested here; the services' integration tests
    # send oversized bodies over a real socket.
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://intake")


async def test_bodies_up_to_the_limit_pass_and_larger_ones_get_413() -> None:
    async with client() as http:
        assert (await http.post("/echo", content=b"x" * 100)).json() == {"size": 100}
        assert (await http.post("/echo", content=b"x" * 101)).status_code == 413


async def test_a_chunked_body_is_measured_too() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"x" * 30

    async with client() as http:
        assert (await http.post("/echo", content=chunks())).status_code == 413


@pytest.mark.parametrize("service", ["intake", "scoring", "publishing", "notifications"])
async def test_every_service_refuses_a_body_over_one_mib(service: str) -> None:
    module = importlib.import_module(f"mgi_{service}.main")
    app = module.create_app()  # not started: the limit applies before any route or connection
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=f"http://{service}") as http:
        answer = await http.post("/v1/anything", content=b"x" * (1024 * 1024 + 1))
    assert answer.status_code == 413
