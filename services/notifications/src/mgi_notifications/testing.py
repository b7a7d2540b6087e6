"""Builders of the platform events this service reads, for its own tests."""

from uuid import uuid4

from aiokafka import AIOKafkaProducer
from pydantic import BaseModel

from mgi_shared.catalogue.model import CatalogueStructure
from mgi_shared.contracts.envelope import utc_now
from mgi_shared.contracts.payloads import (
    AssessmentChanged,
    AssessmentStatus,
    EventType,
    Publication,
    PublicationData,
    ResultsUpdated,
    ResultsUpdatedData,
    SubmissionAccepted,
    SubmissionAcceptedData,
    SubmissionRejected,
    SubmissionRejectedData,
)
from mgi_shared.testing.events import assessment_changed

CATALOGUE = CatalogueStructure.model_validate(
    {
        "version": "test-1",
        "scope": "national",
        "domains": [{"domain": "rights", "sub_areas": ["access"]}],
        "indicators": [{"code": "r1", "domain": "rights", "sub_area": "access"}],
    }
)


def accepted(
    assessment_id: str, jurisdiction: str, submission_id: str | None = None
) -> SubmissionAccepted:
    return SubmissionAccepted(
        event_type=EventType.SUBMISSION_ACCEPTED.value,
        assessment_id=assessment_id,
        jurisdiction=jurisdiction,
        data=SubmissionAcceptedData(
            submission_id=submission_id or f"sub-{uuid4().hex[:8]}",
            actor_id="actor-1",
            language="en",
            submitted_at=utc_now(),
            received_at=utc_now(),
            catalogue_version="test-1",
            answers=[],
            source="http",
        ),
    )


def rejected(assessment_id: str, jurisdiction: str, submission_id: str) -> SubmissionRejected:
    errors = [{"field": "answers[0].value", "message": "not one of the allowed values"}]
    return SubmissionRejected(
        event_type=EventType.SUBMISSION_REJECTED.value,
        assessment_id=assessment_id,
        jurisdiction=jurisdiction,
        data=SubmissionRejectedData(
            reason="invalid answers", errors=errors, submission_id=submission_id
        ),
        reason="invalid answers",
        errors=errors,
        original="{}",
        source_topic="mgi.submissions.inbound.v1",
        source_partition=0,
        source_offset=0,
    )


def status_changed(
    assessment_id: str,
    jurisdiction: str,
    name: str,
    status: AssessmentStatus,
    previous: AssessmentStatus | None,
) -> AssessmentChanged:
    return assessment_changed(assessment_id, status, CATALOGUE, code=jurisdiction, name=name,
                              previous=previous)  # fmt: skip


def results(
    assessment_id: str,
    jurisdiction: str,
    revision: int,
    conflicts: list[str],
    completed: bool = False,
) -> ResultsUpdated:
    return ResultsUpdated(
        event_type=EventType.RESULTS_UPDATED.value,
        assessment_id=assessment_id,
        jurisdiction=jurisdiction,
        data=ResultsUpdatedData(
            revision=revision,
            completeness=1.0 if completed else 0.5,
            completed=completed,
            changed_indicators=[],
            open_conflicts=conflicts,
        ),
    )


def publication(
    assessment_id: str, jurisdiction: str, location: str | None, error: str | None = None
) -> Publication:
    kind = EventType.PUBLICATION_FAILED if error else EventType.PUBLICATION_SUCCEEDED
    return Publication(
        event_type=kind.value,
        assessment_id=assessment_id,
        jurisdiction=jurisdiction,
        data=PublicationData(
            publication_id=uuid4().hex, revision=3, target="http", location=location, error=error
        ),
    )


async def publish(
    producer: AIOKafkaProducer, topic: str, event: BaseModel, traceparent: str | None = None
) -> None:
    """As the other services do: keyed by assessment, with the sender's trace in a header."""
    key = getattr(event, "assessment_id", None)
    headers = [("traceparent", traceparent.encode())] if traceparent else []
    await producer.send_and_wait(
        topic,
        event.model_dump_json().encode(),
        key=key.encode() if key else None,
        headers=headers,
    )
