"""The submission body: one JSON shape over HTTP and Kafka (contract section 4)."""

from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from mgi_shared.limits import Source

IDENTIFIER = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"
MAX_ANSWERS = 500


class AnswerValue(StrEnum):
    YES = "yes"
    PARTIAL = "partial"
    NO = "no"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    indicator: str = Field(min_length=1, max_length=64, pattern=IDENTIFIER)
    value: AnswerValue
    evidence: str | None = Field(default=None, max_length=20_000)
    sources: list[Source] = Field(default_factory=list, max_length=50)


class Submission(BaseModel):
    """What a ministry sends; `submission_id` is the client's idempotency key."""

    model_config = ConfigDict(extra="forbid")

    submission_id: str = Field(min_length=1, max_length=128, pattern=IDENTIFIER)
    assessment_id: str = Field(min_length=1, max_length=128, pattern=IDENTIFIER)
    actor_id: str = Field(min_length=1, max_length=128, pattern=IDENTIFIER)
    language: str = Field(default="en", min_length=2, max_length=8)
    submitted_at: AwareDatetime
    answers: list[Answer] = Field(min_length=1, max_length=MAX_ANSWERS)
