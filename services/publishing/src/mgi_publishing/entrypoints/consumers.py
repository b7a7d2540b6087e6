"""Thin Kafka handlers: parse the envelope, name the assessment, call the use case."""

from collections.abc import Awaitable, Callable
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from mgi_publishing.service_layer.handlers import Deps, on_assessment_changed, on_results_updated
from mgi_shared.contracts.payloads import AssessmentChanged, ResultsUpdated
from mgi_shared.kafka.records import InboundRecord, PermanentError

RecordHandler = Callable[[InboundRecord], Awaitable[None]]
EventT = TypeVar("EventT", bound=BaseModel)


def parse(model: type[EventT], record: InboundRecord) -> EventT:
    """A record no retry can fix goes straight to the dead-letter topic."""
    try:
        return model.model_validate_json(record.value)
    except ValidationError as error:
        raise PermanentError(
            f"invalid {record.topic} event: {error.error_count()} errors"
        ) from error


def assessment_of(envelope_id: str | None, record: InboundRecord) -> str:
    assessment_id = envelope_id or record.key_text
    if not assessment_id:
        raise PermanentError(f"{record.topic} event without an assessment id")
    return assessment_id


def assessment_handler(deps: Deps) -> RecordHandler:
    async def handle(record: InboundRecord) -> None:
        event = parse(AssessmentChanged, record)
        await on_assessment_changed(deps, assessment_of(event.assessment_id, record), event)

    return handle


def results_handler(deps: Deps) -> RecordHandler:
    async def handle(record: InboundRecord) -> None:
        event = parse(ResultsUpdated, record)
        await on_results_updated(deps, assessment_of(event.assessment_id, record), event)

    return handle
