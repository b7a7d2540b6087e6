"""One attempt to put a profile on the portal, as recorded and served (no I/O)."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

# Attempts kept per assessment (on its document, read by `_id`): the newest ones.
KEPT_ATTEMPTS = 200


class Outcome(StrEnum):
    SUCCEEDED = "succeeded"
    RETRYING = "retrying"  # failed, and another attempt followed
    FAILED = "failed"  # failed, and it was the last attempt


class Attempt(BaseModel):
    assessment_id: str
    publication_id: str
    revision: int
    target: str = Field(description="static or http")
    attempt: int = Field(description="1 for the first attempt of this publication")
    at: datetime
    status: Outcome = Field(description="succeeded, retrying (another attempt followed) or failed")
    http_status: int | None = Field(default=None, description="the portal's HTTP status")
    error: str | None = None
    location: str | None = None


class PortalOutcome(BaseModel):
    """What a portal write came to, with every attempt it took."""

    succeeded: bool
    target: str
    location: str | None = None
    error: str | None = None
    attempts: list[Attempt]
