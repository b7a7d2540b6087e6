"""Request and response bodies of intake's HTTP API, one family per entity."""

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from mgi_shared.auth import Role
from mgi_shared.catalogue.model import Scope
from mgi_shared.contracts.payloads import AssessmentStatus
from mgi_shared.contracts.submission import Answer
from mgi_shared.limits import MAX_LANGUAGES, IndicatorCode, JurisdictionCode, LanguageCode

ID = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"


class ErrorItem(BaseModel):
    field: str = Field(description="where the problem is, e.g. answers[2].indicator")
    message: str


class Problems(BaseModel):
    detail: list[ErrorItem]


class Message(BaseModel):
    detail: str
    allowed_next: AssessmentStatus | None = None


class Jurisdiction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=3, max_length=32, examples=["IDN", "IDN-JK"])
    name: str = Field(min_length=1, max_length=200)
    parent: str | None = Field(default=None, max_length=3)


class AssessmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assessment_id: str = Field(min_length=1, max_length=128, pattern=ID)
    jurisdiction: Jurisdiction
    scope: Scope
    round: int = Field(ge=1, le=100)
    catalogue_version: str = Field(min_length=1, max_length=64)
    languages: list[LanguageCode] = Field(min_length=1, max_length=MAX_LANGUAGES)


class Counts(BaseModel):
    submissions: int = Field(description="accepted submissions, all versions")
    actors: int = Field(description="actors in the actor map")
    actors_reporting: int = Field(description="actors with at least one submission")


class StatusEntry(BaseModel):
    status: AssessmentStatus
    at: datetime


class AssessmentPublic(AssessmentCreate):
    model_config = ConfigDict(extra="ignore")

    status: AssessmentStatus
    status_history: list[StatusEntry]
    created_at: datetime
    counts: Counts


class AssessmentSummary(AssessmentCreate):
    """One line of the list of assessments: no workflow history."""

    model_config = ConfigDict(extra="ignore")

    status: AssessmentStatus
    created_at: datetime
    updated_at: datetime = Field(description="last change: status, actor map or submission")
    last_submission_at: datetime | None = Field(
        default=None, description="when intake received the latest accepted submission"
    )
    counts: Counts


class AssessmentPage(BaseModel):
    items: list[AssessmentSummary]
    next: str | None = Field(
        default=None, description="pass as `next` for the following page; null on the last"
    )


class ActorPut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    cluster: str = Field(min_length=1, max_length=64)
    indicators: list[IndicatorCode] = Field(min_length=1, max_length=1000)


class ActorPublic(ActorPut):
    assessment_id: str
    actor_id: str


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: AssessmentStatus


class SubmissionReceipt(BaseModel):
    submission_id: str
    status: Literal["accepted"] = "accepted"


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    jurisdictions: list[JurisdictionCode] = Field(default_factory=list, max_length=200)
    label: str = Field(default="", max_length=200)
    expires_at: AwareDatetime | None = Field(
        default=None, description="refused by every service from then on; none by default"
    )


class ApiKeyCreated(BaseModel):
    key: str = Field(description="shown once; only its hash is stored")
    key_id: str


class ApiKeyPublic(BaseModel):
    """A key as operators see it: never the key, nor its hash."""

    key_id: str
    label: str
    role: Role
    jurisdictions: list[str]
    state: Literal["active", "expired", "revoked"]
    created_at: datetime | None = Field(description="null for keys issued before it was kept")
    last_used_at: datetime | None = Field(
        description="last request intake authenticated with it, to the minute; null if none"
    )
    expires_at: datetime | None
    revoked_at: datetime | None = None


class CatalogueSummary(BaseModel):
    version: str
    scope: Scope
    indicator_count: int
    languages: list[str]
    illustrative: bool


class AnswerInHistory(Answer):
    model_config = ConfigDict(extra="ignore")

    current: bool = Field(
        description="whether this is the actor's current answer, the one scoring counts"
    )


class SubmissionInHistory(BaseModel):
    submission_id: str
    actor_id: str
    source: Literal["http", "kafka", "kobo"]
    language: str
    submitted_at: datetime
    received_at: datetime
    supersedes: str | None = Field(description="the submission this edit replaced (Kobo)")
    superseded_by: str | None = Field(description="the edit that replaced this one (Kobo)")
    answers: list[AnswerInHistory]


class SubmissionHistory(BaseModel):
    assessment_id: str
    submissions: list[SubmissionInHistory] = Field(description="oldest first, as submitted")
    truncated: bool = Field(
        default=False, description="true when only the newest 2,000 submissions were read"
    )
