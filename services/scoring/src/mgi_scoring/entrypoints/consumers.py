"""Thin Kafka handlers: parse the envelope, name the assessment, call the use case."""

from collections.abc import Awaitable, Callable

from mgi_scoring.ports import ScoringRepository
from mgi_scoring.service_layer.handlers import record_assessment, record_submission
from mgi_shared.contracts.payloads import AssessmentChanged, SubmissionAccepted
from mgi_shared.kafka.events import assessment_of, parse
from mgi_shared.kafka.records import InboundRecord

RecordHandler = Callable[[InboundRecord], Awaitable[None]]


def on_submission_accepted(repo: ScoringRepository) -> RecordHandler:
    async def handle(record: InboundRecord) -> None:
        event = parse(SubmissionAccepted, record)
        await record_submission(repo, assessment_of(event.assessment_id, record), event)

    return handle


def on_assessment_changed(repo: ScoringRepository) -> RecordHandler:
    async def handle(record: InboundRecord) -> None:
        event = parse(AssessmentChanged, record)
        await record_assessment(repo, assessment_of(event.assessment_id, record), event)

    return handle
