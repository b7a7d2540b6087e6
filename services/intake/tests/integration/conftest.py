"""The real intake app on a free port, over the session's real Kafka and database.

One intake per session (one consumer group, like production); each test makes
its own assessments with unique ids instead of cleaning up.
"""

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import httpx
import pytest
from pymongo.asynchronous.database import AsyncDatabase

from mgi_intake.main import create_app
from mgi_intake.settings import IntakeSettings
from mgi_shared.kafka.reading import records_to_end
from mgi_shared.mongo import Document, make_mongo_client
from mgi_shared.net import free_port
from mgi_shared.testing.apps import serving
from mgi_shared.testing.kafka import eventually

ADMIN_TOKEN = "test-admin-token-for-intake"
NATIONAL = "mgi-national-2024"


@dataclass
class Intake:
    url: str
    bootstrap: str
    settings: IntakeSettings
    db: AsyncDatabase[Document]
    http: httpx.AsyncClient

    def as_admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {ADMIN_TOKEN}"}

    async def key(self, role: str, *jurisdictions: str) -> dict[str, str]:
        created = await self.http.post(
            "/v1/api-keys",
            json={"role": role, "jurisdictions": list(jurisdictions), "label": "test"},
            headers=self.as_admin(),
        )
        assert created.status_code == 201, created.text
        return {"Authorization": f"Bearer {created.json()['key']}"}

    async def assessment(
        self,
        code: str = "IDN",
        *,
        status: str = "data_collection",
        actors: dict[str, list[str]] | None = None,
    ) -> str:
        """A new assessment with an actor map, moved on to `status`."""
        assessment_id = f"{code}-{uuid4().hex[:10]}-national"
        body = assessment_body(assessment_id, code)
        created = await self.http.post("/v1/assessments", json=body, headers=self.as_admin())
        assert created.status_code == 201, created.text
        for actor_id, codes in (actors or {"idn-mofa": ["RGT-1.01", "RGT-1.02"]}).items():
            actor = {"name": actor_id, "cluster": "rights", "indicators": codes}
            put = await self.http.put(
                f"/v1/assessments/{assessment_id}/actors/{actor_id}",
                json=actor,
                headers=self.as_admin(),
            )
            assert put.status_code == 200, put.text
        for step in ("data_collection", "draft_profile", "consultation", "validated"):
            if created.json()["status"] == status:
                break
            created = await self.http.post(
                f"/v1/assessments/{assessment_id}/status",
                json={"status": step},
                headers=self.as_admin(),
            )
            assert created.status_code == 200, created.text
        return assessment_id

    async def settled(self, collection: str, document_id: str) -> Document:
        """Wait until the relay has published every outbox entry of a document."""

        async def done() -> Document | None:
            doc = await self.db[collection].find_one({"_id": document_id})
            return doc if doc and doc["outbox_sent_count"] == doc["outbox_count"] else None

        settled: Document = await eventually(done, timeout=30)
        return settled

    async def events(self, topic: str, **match: str) -> list[Any]:
        return await events_about(self.bootstrap, topic, **match)

    async def traceparents(self, topic: str, event_id: str) -> list[str]:
        """The `traceparent` header of each record carrying the event `event_id`."""
        found = []
        for value, headers in await read_topic_with_headers(self.bootstrap, topic):
            if isinstance(value, dict) and value.get("event_id") == event_id:
                found.append(headers.get("traceparent", ""))
        return found

    # Test modules cannot import this conftest (importlib mode): helpers ride on the fixture.
    @staticmethod
    def assessment_body(assessment_id: str, code: str = "IDN") -> dict[str, Any]:
        return assessment_body(assessment_id, code)

    @staticmethod
    def submission_body(assessment_id: str, **changes: Any) -> dict[str, Any]:
        return submission_body(assessment_id, **changes)


def assessment_body(assessment_id: str, code: str = "IDN") -> dict[str, Any]:
    return {
        "assessment_id": assessment_id,
        "jurisdiction": {"code": code, "name": f"Country {code}", "parent": None},
        "scope": "national",
        "round": 1,
        "catalogue_version": NATIONAL,
        "languages": ["en", "id"],
    }


def submission_body(assessment_id: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "submission_id": str(uuid4()),
        "assessment_id": assessment_id,
        "actor_id": "idn-mofa",
        "language": "en",
        "submitted_at": "2023-05-10T09:30:00Z",
        "answers": [
            {
                "indicator": "RGT-1.01",
                "value": "yes",
                "evidence": "free text",
                "sources": ["Law No. 18/2017"],
            },
            {"indicator": "RGT-1.02", "value": "partial"},
        ],
    }
    return {**body, **changes}


async def read_topic(bootstrap: str, topic: str) -> list[Any]:
    """Every record on `topic` up to its current end, as JSON values."""
    return [value for value, _ in await read_topic_with_headers(bootstrap, topic)]


async def read_topic_with_headers(bootstrap: str, topic: str) -> list[tuple[Any, dict[str, str]]]:
    """Every record on `topic` up to its current end: (JSON value, headers)."""
    return [(_json(r.value), _headers(r.headers)) for r in await records_to_end(bootstrap, [topic])]


def _headers(raw: Any) -> dict[str, str]:
    return {name: (value or b"").decode("utf-8", "replace") for name, value in raw or ()}


def _json(raw: bytes | None) -> Any:
    try:
        return json.loads(raw or b"")
    except ValueError:
        return raw


async def events_about(bootstrap: str, topic: str, **match: str) -> list[Any]:
    """Events on `topic` whose envelope or data fields equal `match`."""

    def matches(value: Any) -> bool:
        if not isinstance(value, dict):
            return False
        data = value.get("data") or {}
        return all(value.get(k, data.get(k)) == v for k, v in match.items())

    return [v for v in await read_topic(bootstrap, topic) if matches(v)]


@pytest.fixture(scope="session")
async def intake(infra: Any) -> AsyncIterator[Intake]:
    port = free_port()
    settings = IntakeSettings(
        kafka_bootstrap_servers=infra.kafka,
        mongodb_url=infra.mongodb_url,
        mgi_data_dir=infra.data_dir,
        mgi_admin_token=ADMIN_TOKEN,
        intake_port=port,
        mgi_instance=f"test{uuid4().hex[:8]}",
        mgi_outbox_sweep_seconds=1.0,
        mgi_retry_base_seconds=0.1,
    )
    url = f"http://127.0.0.1:{port}"
    mongo = make_mongo_client(infra.mongodb_url)
    async with (
        serving(create_app(settings), port),
        httpx.AsyncClient(base_url=url, timeout=30) as http,
    ):
        yield Intake(url, infra.kafka, settings, mongo[settings.database_name], http)
    await mongo.close()
