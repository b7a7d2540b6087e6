"""Reading a platform event off a record, the same way in every consumer."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mgi_shared.contracts.envelope import EventEnvelope
from mgi_shared.kafka.records import InboundRecord, PermanentError

EventT = TypeVar("EventT", bound=BaseModel)
EnvelopeT = TypeVar("EnvelopeT", bound=EventEnvelope[Any])


def parse(model: type[EventT], record: InboundRecord) -> EventT:
    """A record no retry can fix goes straight to the dead-letter topic."""
    try:
        return model.model_validate_json(record.value)
    except ValidationError as error:
        raise PermanentError(
            f"invalid {record.topic} event: {error.error_count()} errors"
        ) from error


def assessment_of(envelope_id: str | None, record: InboundRecord) -> str:
    """The assessment an event is about: the envelope's, else the record's key."""
    assessment_id = envelope_id or record.key_text
    if not assessment_id:
        raise PermanentError(f"{record.topic} event without an assessment id")
    return assessment_id


def handling(
    model: type[EnvelopeT], use_case: Callable[[str, EnvelopeT], Awaitable[object]]
) -> Callable[[InboundRecord], Awaitable[None]]:
    """A consumer's handler for one event type: parse the envelope, name its assessment, call
    the use case with both (what it returns is not the consumer's concern)."""

    async def handle(record: InboundRecord) -> None:
        event = parse(model, record)
        await use_case(assessment_of(event.assessment_id, record), event)

    return handle
