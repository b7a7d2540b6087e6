"""Serving a service's real app in-process over a real socket, for integration tests."""

import asyncio
import contextlib
from collections.abc import AsyncIterator

import uvicorn
from fastapi import FastAPI

from mgi_shared.http_server import server_options
from mgi_shared.testing.kafka import eventually


@contextlib.asynccontextmanager
async def serving(app: FastAPI, port: int) -> AsyncIterator[None]:
    """Run `app` (lifespan included: broker, database) until the block ends."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, lifespan="on", **server_options()
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        await eventually(lambda: server.started or task.done(), timeout=60)
        assert not task.done(), "the app failed to start"
        yield
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 60)
