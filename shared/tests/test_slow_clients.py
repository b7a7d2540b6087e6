"""A slow client cannot hold a connection for ever (issue 14, item 4), over real sockets:
headers and body each have a deadline, and a prompt client is served as usual."""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request

from mgi_shared.http_body_limit import BodyLimit
from mgi_shared.http_header_deadline import HeaderDeadlineProtocol
from mgi_shared.net import free_port
from mgi_shared.testing.kafka import eventually

pytestmark = pytest.mark.integration

DEADLINE = 0.5


class QuickHeaderDeadline(HeaderDeadlineProtocol):
    header_seconds = DEADLINE


@contextlib.asynccontextmanager
async def echo_server() -> AsyncIterator[int]:
    """An app with the services' middleware and protocol, with short deadlines."""
    api = FastAPI()

    @api.post("/echo")
    async def echo(request: Request) -> dict[str, Any]:
        return {"size": len(await request.body())}

    api.add_middleware(BodyLimit, max_bytes=1000, read_seconds=DEADLINE)
    port = free_port()
    config = uvicorn.Config(api, host="127.0.0.1", port=port, log_config=None,
                            http=QuickHeaderDeadline)  # fmt: skip
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        await eventually(lambda: server.started, timeout=30)
        yield port
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)


async def trickled(port: int, head: bytes, slow: bytes) -> tuple[bytes, float]:
    """Send `head` at once, then `slow` a byte every 0.1 s; what the server answered before
    closing, and after how long."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = time.monotonic()
    writer.write(head)

    async def trickle() -> None:
        with contextlib.suppress(ConnectionError):
            for byte in slow:
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(0.1)

    trickling = asyncio.create_task(trickle())
    try:
        answer = await asyncio.wait_for(reader.read(), timeout=10)  # read() ends at the close
    finally:
        trickling.cancel()
        writer.close()
    return answer, time.monotonic() - started


async def test_a_client_trickling_its_body_gets_408_and_is_cut_off() -> None:
    async with echo_server() as port:
        head = b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
        answer, elapsed = await trickled(port, head, b"x" * 100)
        assert answer.startswith(b"HTTP/1.1 408"), answer
        assert b"not received within" in answer
        assert elapsed < 5  # cut off at the deadline, not after the 100 bytes' 10 s
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            assert (await http.post("/echo", content=b"x" * 100)).json() == {"size": 100}


async def test_a_client_trickling_its_headers_is_cut_off() -> None:
    async with echo_server() as port:
        slow = b"Host: x\r\nX-Slow: " + b"y" * 100 + b"\r\n\r\n"
        answer, elapsed = await trickled(port, b"GET /echo HTTP/1.1\r\n", slow)
        assert answer == b""  # closed without an answer: no request to answer yet
        assert elapsed < 5


async def test_a_connection_that_never_sends_is_closed() -> None:
    async with echo_server() as port:
        answer, elapsed = await trickled(port, b"", b"")
        assert answer == b""
        assert elapsed < 5


async def test_a_kept_alive_connection_serves_a_second_prompt_request() -> None:
    async with (
        echo_server() as port,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http,
    ):
        for _ in range(2):
            assert (await http.post("/echo", content=b"x")).json() == {"size": 1}
            await asyncio.sleep(DEADLINE / 2)
