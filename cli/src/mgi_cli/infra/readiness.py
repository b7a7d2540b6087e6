"""Waiting for a component to answer, with a clear error and its log when it does not."""

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx
from aiokafka.admin import AIOKafkaAdminClient
from pymongo import AsyncMongoClient

from mgi_shared.kafka.security import client_options
from mgi_shared.settings import PlatformSettings

Probe = Callable[[], Awaitable[bool]]


class NotReadyError(RuntimeError):
    """A component did not answer in time."""


async def wait_until(probe: Probe, timeout: float, what: str, alive: Callable[[], bool]) -> None:
    """Poll `probe` until true; give up early if the process died, or after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await _quietly(probe):
            return
        if not alive():
            raise NotReadyError(f"{what} exited during start-up")
        await asyncio.sleep(0.5)
    raise NotReadyError(f"{what} did not become ready within {timeout:.0f} s")


async def _quietly(probe: Probe) -> bool:
    try:
        return await probe()
    except Exception:
        return False


def kafka_probe(settings: PlatformSettings) -> Probe:
    async def probe() -> bool:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=settings.kafka_bootstrap_servers,
            request_timeout_ms=3000,
            **client_options(settings),
        )
        try:
            await admin.start()
            await admin.list_topics()
            return True
        finally:
            await admin.close()

    return probe


def mongo_probe(url: str) -> Probe:
    async def probe() -> bool:
        client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
            url, serverSelectionTimeoutMS=2000
        )
        try:
            await client.admin.command("ping")
            return True
        finally:
            await client.close()

    return probe


def http_ready_probe(url: str) -> Probe:
    async def probe() -> bool:
        async with httpx.AsyncClient(timeout=3.0) as client:
            response = await client.get(f"{url}/readyz")
            return response.status_code == 200

    return probe
