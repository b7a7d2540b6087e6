"""A crash between storing a submission and publishing its event loses nothing.

The submission is stored through the real use case with no relay running (as if
the process died right after the insert); a relay started later publishes it. A
second crash after publishing but before marking publishes again, with the same
event id, so consumers that drop repeats by event id see it once.
"""

import json
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import pytest
from faststream.kafka import KafkaBroker
from pymongo.asynchronous.database import AsyncDatabase

from mgi_intake.adapters.catalogues import CatalogueStore
from mgi_intake.schemas import ActorPut, AssessmentCreate
from mgi_intake.service_layer import assessments
from mgi_intake.service_layer.deps import Deps, make_deps
from mgi_intake.service_layer.incoming import from_json_body
from mgi_intake.service_layer.submissions import accept_submission
from mgi_shared.catalogue.loader import builtin_catalogues
from mgi_shared.contracts import topics
from mgi_shared.contracts.payloads import AssessmentStatus
from mgi_shared.mongo import Document, make_mongo_client
from mgi_shared.outbox_relay import OutboxRelay

pytestmark = pytest.mark.integration


@pytest.fixture
async def crashed_db(intake: Any) -> AsyncIterator[AsyncDatabase[Document]]:
    """A database of its own, written by no running intake (so no relay drains it)."""
    client = make_mongo_client(intake.settings.mongodb_url)
    yield client[f"mgi_intake_crash_{uuid4().hex[:8]}"]
    await client.close()


async def stored_without_relay(intake: Any, deps: Deps) -> str:
    assessment_id = f"IDN-{uuid4().hex[:10]}"
    body = AssessmentCreate.model_validate(intake.assessment_body(assessment_id))
    await assessments.create_assessment(body, deps)
    actor = ActorPut(name="MoFA", cluster="rights", indicators=["RGT-1.01", "RGT-1.02"])
    await assessments.put_actor(assessment_id, "idn-mofa", actor, deps)
    await assessments.change_status(assessment_id, AssessmentStatus.DATA_COLLECTION, deps)
    raw = intake.submission_body(assessment_id)
    incoming = from_json_body(json.dumps(raw).encode(), "http")
    await accept_submission(incoming, None, deps)
    submission_id: str = raw["submission_id"]
    return submission_id


async def test_events_stored_before_a_crash_go_out_once_a_relay_runs(
    intake: Any, crashed_db: AsyncDatabase[Document]
) -> None:
    deps = make_deps(crashed_db, CatalogueStore(crashed_db, builtin_catalogues()))
    submission_id = await stored_without_relay(intake, deps)
    assert await intake.events(topics.SUBMISSIONS_ACCEPTED, submission_id=submission_id) == []

    broker = KafkaBroker(intake.bootstrap)
    await broker.start()
    try:
        relay = OutboxRelay(crashed_db.submissions, broker, "intake-test", 0.05)
        unrelayed = await crashed_db.submissions.find_one({"_id": submission_id})
        assert unrelayed is not None and len(unrelayed["outbox"]) == 1
        assert await relay.relay_once() == 1
        assert await relay.relay_once() == 0
        # Crash after publishing, before marking: the stored document is as it was before,
        # and the restarted process's relay remembers nothing.
        await crashed_db.submissions.replace_one({"_id": submission_id}, unrelayed)
        restarted = OutboxRelay(crashed_db.submissions, broker, "intake-test", 0.05)
        assert await restarted.relay_once() == 1
    finally:
        await broker.stop()
    events = await intake.events(topics.SUBMISSIONS_ACCEPTED, submission_id=submission_id)
    assert len(events) == 2
    assert len({e["event_id"] for e in events}) == 1
    stored = await crashed_db.submissions.find_one({"_id": submission_id})
    assert stored is not None and stored["event_id"] == events[0]["event_id"]
    # Relayed entries are trimmed, so the document does not grow with its events.
    assert (stored["outbox_pending"], stored["outbox"], stored["outbox_trimmed"]) == (False, [], 1)
