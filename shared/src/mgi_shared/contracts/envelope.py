"""The envelope every event of the platform travels in (contract section 8)."""

from datetime import UTC, datetime
from typing import Generic, TypeVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

DataT = TypeVar("DataT", bound=BaseModel)

SCHEMA_VERSION = 1


def utc_now() -> datetime:
    return datetime.now(UTC)


class EventEnvelope(BaseModel, Generic[DataT]):
    """Common fields first, the event's own payload under `data`.

    Events carry ids only, never an email address, key or token.
    """

    model_config = ConfigDict(extra="allow")

    event_id: UUID = Field(default_factory=uuid4)
    event_type: str = Field(max_length=64)
    schema_version: int = SCHEMA_VERSION
    occurred_at: datetime = Field(default_factory=utc_now)
    assessment_id: str | None = Field(default=None, max_length=128)
    jurisdiction: str | None = Field(default=None, max_length=32)
    data: DataT
