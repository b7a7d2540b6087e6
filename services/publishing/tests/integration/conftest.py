"""The real publishing app on fixed ports, with a stand-in scoring and a scripted portal."""

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from mgi_publishing.main import create_app
from mgi_publishing.settings import PublishingSettings
from mgi_publishing.testing_http import (
    ADMIN,
    PORTAL_PORT,
    PUBLISHING_PORT,
    SCORING_PORT,
    PortalScript,
    portal_app,
    scoring_app,
)
from mgi_shared.auth import ApiKeyRecord, Role, hash_key, new_key
from mgi_shared.contracts.envelope import EventEnvelope
from mgi_shared.contracts.topics import API_KEYS, ASSESSMENTS_CHANGED, RESULTS_UPDATED, retry_topic
from mgi_shared.key_signing import signed
from mgi_shared.mongo import make_mongo_client
from mgi_shared.testing.apps import serving
from mgi_shared.testing.kafka import start_services_at_end

SIGNING = "publishing-test-signing-secret"


@dataclass
class Publishing:
    """The real publishing app, its stand-in scoring and (optionally) a scripted portal."""

    infra: Any
    tag: str
    data_dir: Any
    results: dict[str, dict[str, Any]]
    portal: PortalScript
    http: Any = None
    app: Any = None

    @contextlib.asynccontextmanager
    async def running(self, *, http_portal: bool = False) -> AsyncIterator["Publishing"]:
        topics = [API_KEYS, ASSESSMENTS_CHANGED, RESULTS_UPDATED, retry_topic("publishing")]
        await start_services_at_end(self.infra.kafka, self.tag, ["publishing"], topics)
        settings = PublishingSettings(
            mgi_instance=self.tag,
            kafka_bootstrap_servers=self.infra.kafka,
            mongodb_url=self.infra.mongodb_url,
            mgi_admin_token=ADMIN,
            mgi_key_signing_secret=SIGNING,
            mgi_data_dir=self.data_dir,
            publishing_port=PUBLISHING_PORT,
            scoring_url=f"http://127.0.0.1:{SCORING_PORT}",
            intake_url="http://127.0.0.1:9",  # built-in catalogues only
            portal_url=f"http://127.0.0.1:{PORTAL_PORT}" if http_portal else None,
            portal_token="portal-secret-token" if http_portal else None,  # type: ignore[arg-type]
            portal_retry_seconds=20,
            mgi_retry_base_seconds=0.05,
            mgi_outbox_sweep_seconds=1.0,
        )
        self.app = create_app(settings)
        async with (
            serving(scoring_app(self.results), SCORING_PORT),
            serving(portal_app(self.portal), PORTAL_PORT),
            serving(self.app, PUBLISHING_PORT),
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{PUBLISHING_PORT}", timeout=30) as http,
        ):
            self.http = http
            yield self

    async def key(self, producer: AIOKafkaProducer, role: Role, *scope: str) -> dict[str, str]:
        """A new API key, announced on the key topic as intake does (signed)."""
        key_id, key = new_key()
        record = signed(ApiKeyRecord(key_id=key_id, key_hash=hash_key(key), role=role,
                                     jurisdictions=list(scope)), SIGNING.encode())  # fmt: skip
        event = EventEnvelope[ApiKeyRecord](event_type="apikey.created", data=record)
        await producer.send_and_wait(
            API_KEYS, event.model_dump_json().encode(), key=key_id.encode()
        )
        return {"Authorization": f"Bearer {key}"}

    async def state(self, assessment_id: str) -> dict[str, Any] | None:
        client = make_mongo_client(self.infra.mongodb_url)
        try:
            db = client.get_database(f"mgi_{self.tag}_publishing")
            document: dict[str, Any] | None = await db.assessments.find_one({"_id": assessment_id})
            return document
        finally:
            await client.close()


@pytest.fixture
async def publishing(infra, tmp_path) -> Publishing:  # type: ignore[no-untyped-def]
    return Publishing(infra, uuid4().hex[:10], tmp_path, {}, PortalScript())


@pytest.fixture
async def producer(infra) -> AsyncIterator[AIOKafkaProducer]:  # type: ignore[no-untyped-def]
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka, acks="all")
    await producer.start()
    yield producer
    await producer.stop()
