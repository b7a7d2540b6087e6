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
        return (await self.call("intake", method, path, key, **kwargs)).json_or_none()

    async def scoring(self, method: str, path: str, key: str | None = None, **kwargs: Any) -> Any:
        return (await self.call("scoring", method, path, key, **kwargs)).json_or_none()

    async def notifications(self, method: str, path: str, **kwargs: Any) -> Any:
        return (await self.call("notifications", method, path, None, **kwargs)).json_or_none()

    async def call(
        self, service: str, method: str, path: str, key: str | None = None, **kwargs: Any
    ) -> "Answer":
        """The answer, whatever its success status; an error status raises, naming the call."""
        url = f"{self._settings.url_of(service)}{path}"
        headers = {"Authorization": f"Bearer {key or self._admin}"}
        response = await self._http.request(method, url, headers=headers, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text[:500]}")
        return Answer(response)

    async def publish_submission(self, submission: dict[str, Any]) -> None:
        """The Kafka path other systems use: same JSON, key = assessment id."""
        await self.publish_raw(json.dumps(submission).encode(), submission["assessment_id"])

    async def publish_raw(self, value: bytes, key: str) -> None:
        await self._producer.send_and_wait(SUBMISSIONS_INBOUND, value, key=key.encode())


class Answer:
    def __init__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        self._response = response

    def json_or_none(self) -> Any:
        return self._response.json() if self._response.content else None
