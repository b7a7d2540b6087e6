from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from mgi_intake.entrypoints.body_limit import BodyLimit

pytestmark = pytest.mark.unit


def app() -> FastAPI:
    api = FastAPI()

    @api.post("/echo")
    async def echo(request: Request) -> dict[str, Any]:
        return {"size": len(await request.body())}

    api.add_middleware(BodyLimit, max_bytes=100)
    return api


def test_bodies_up_to_the_limit_pass_and_larger_ones_get_413() -> None:
    client = TestClient(app())
    assert client.post("/echo", content=b"x" * 100).json() == {"size": 100}
    assert client.post("/echo", content=b"x" * 101).status_code == 413


def test_a_chunked_body_is_measured_too() -> None:
    client = TestClient(app())

    def chunks() -> Any:
        for _ in range(5):
            yield b"x" * 30

    assert client.post("/echo", content=chunks()).status_code == 413
