"""Serving a service's real app in-process over a real socket, for integration tests."""

import asyncio
import contextlib
import random
import socket
from collections.abc import AsyncIterator

import uvicorn
from fastapi import FastAPI

from mgi_shared.testing.kafka import eventually


def free_port() -> int:
    """A free port below Linux's ephemeral range (32768-60999): a port the kernel handed out
    with bind(0) could be given to an outgoing client socket before the server binds it."""
    for port in random.sample(range(20000, 32768), 200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port found between 20000 and 32767")


@contextlib.asynccontextmanager
async def serving(app: FastAPI, port: int) -> AsyncIterator[None]:
    """Run `app` (lifespan included: broker, database) until the block ends."""
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        await eventually(lambda: server.started or task.done(), timeout=60)
        assert not task.done(), "the app failed to start"
        yield
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 60)
