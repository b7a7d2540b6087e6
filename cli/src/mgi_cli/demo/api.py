"""Talks to the running services as any client would: HTTP with an API key, and Kafka."""

import json
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer

from mgi_shared.contracts.topics import SUBMISSIONS_INBOUND
from mgi_shared.settings import PlatformSettings


class PlatformClient:
    def __init__(self, settings: PlatformSettings, admin_key: str) -> None:
        self._settings = settings
        self._admin = admin_key
        self._http = httpx.AsyncClient(timeout=30)
        self._producer = AIOKafkaProducer(
            bootstrap_servers=settings.kafka_bootstrap_servers, acks="all", enable_idempotence=True
        )

    async def __aenter__(self) -> "PlatformClient":
        await self._producer.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._producer.stop()
        await self._http.aclose()

    async def intake(self, method: str, path: str, key: str | None = None, **kwargs: Any) -> Any:
        return await self._call("intake", method, path, key, **kwargs)

    async def scoring(self, method: str, path: str, key: str | None = None, **kwargs: Any) -> Any:
        return await self._call("scoring", method, path, key, **kwargs)

    async def _call(
        self, service: str, method: str, path: str, key: str | None, **kwargs: Any
    ) -> Any:
        url = f"{self._settings.url_of(service)}{path}"
        headers = {"Authorization": f"Bearer {key or self._admin}"}
        response = await self._http.request(method, url, headers=headers, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text[:500]}")
        return response.json() if response.content else None

    async def publish_submission(self, submission: dict[str, Any]) -> None:
        """The Kafka path other systems use: same JSON, key = assessment id."""
        await self._producer.send_and_wait(
            SUBMISSIONS_INBOUND,
            json.dumps(submission).encode(),
            key=submission["assessment_id"].encode(),
        )
