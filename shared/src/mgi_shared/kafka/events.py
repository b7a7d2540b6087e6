"""Reading a platform event off a record, the same way in every consumer."""

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from mgi_shared.kafka.records import InboundRecord, PermanentError

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
    """The assessment an event is about: the envelope's, else the record's key."""
    assessment_id = envelope_id or record.key_text
    if not assessment_id:
        raise PermanentError(f"{record.topic} event without an assessment id")
    return assessment_id
