"""`mgi.publications.v1`: success publishes a validated assessment, once; nothing else moves it."""

from typing import Any
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer

from mgi_shared.contracts import topics
from mgi_shared.contracts.payloads import Publication, PublicationData
from mgi_shared.testing.kafka import eventually

pytestmark = pytest.mark.integration


def publication(assessment_id: str, event_type: str = "publication.succeeded") -> bytes:
    event = Publication(
        event_type=event_type,
        assessment_id=assessment_id,
        jurisdiction="IDN",
        data=PublicationData(publication_id=str(uuid4()), revision=3, target="static"),
    )
    return event.model_dump_json().encode()


async def send(intake: Any, assessment_id: str, *values: bytes) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=intake.bootstrap, acks="all")
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topics.PUBLICATIONS, value, key=assessment_id.encode())
    finally:
        await producer.stop()


async def status_of(intake: Any, assessment_id: str) -> str:
    answer = await intake.http.get(f"/v1/assessments/{assessment_id}", headers=intake.as_admin())
    status: str = answer.json()["status"]
    return status


async def test_success_publishes_a_validated_assessment_once(intake: Any) -> None:
    validated = await intake.assessment("IDN", status="validated")
    in_consultation = await intake.assessment("IDN", status="consultation")
    event = publication(validated)
    await send(intake, in_consultation, publication(in_consultation))
    await send(intake, validated, publication(validated, "publication.failed"), event, event)

    async def published() -> bool:
        return await status_of(intake, validated) == "published"

    await eventually(published)
    # A later record on the same key (so the same partition) proves the first was handled.
    marker = await intake.assessment("IDN", status="validated")
    await send(intake, in_consultation, publication(marker))
    await eventually(lambda: _is_published(intake, marker))
    assert await status_of(intake, in_consultation) == "consultation"
    await intake.settled("assessments", validated)
    changes = await intake.events(topics.ASSESSMENTS_CHANGED, assessment_id=validated)
    assert [e["data"]["status"] for e in changes][-2:] == ["validated", "published"]


async def _is_published(intake: Any, assessment_id: str) -> bool:
    return await status_of(intake, assessment_id) == "published"
