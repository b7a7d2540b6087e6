"""The `data` of each event the platform emits, per topic (contract section 8)."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from mgi_shared.catalogue.model import CatalogueStructure
from mgi_shared.contracts.envelope import EventEnvelope
from mgi_shared.contracts.submission import Answer


class EventType(StrEnum):
    SUBMISSION_ACCEPTED = "submission.accepted"
    SUBMISSION_REJECTED = "submission.rejected"
    ASSESSMENT_CREATED = "assessment.created"
    ASSESSMENT_STATUS_CHANGED = "assessment.status_changed"
    RESULTS_UPDATED = "results.updated"
    PUBLICATION_SUCCEEDED = "publication.succeeded"
    PUBLICATION_FAILED = "publication.failed"


class AssessmentStatus(StrEnum):
    LAUNCHED = "launched"
    DATA_COLLECTION = "data_collection"
    DRAFT_PROFILE = "draft_profile"
    CONSULTATION = "consultation"
    VALIDATED = "validated"
    PUBLISHED = "published"


class SubmissionAcceptedData(BaseModel):
    """Carries the answers themselves so no other service reads intake's database."""

    submission_id: str
    actor_id: str
    language: str
    submitted_at: datetime
    received_at: datetime
    catalogue_version: str
    answers: list[Answer]
    supersedes: str | None = Field(
        default=None, description="an edited submission replaces this one's answers"
    )
    source: str = Field(description="http, kafka or kobo")


class JurisdictionData(BaseModel):
    code: str
    name: str
    parent: str | None = None


class AssessmentChangedData(BaseModel):
    status: AssessmentStatus
    previous_status: AssessmentStatus | None = None
    scope: str
    round: int
    catalogue_version: str
    jurisdiction: JurisdictionData
    languages: list[str]
    catalogue: CatalogueStructure = Field(
        description="the structure scoring needs, so it never reads intake's database"
    )


class IndicatorChange(BaseModel):
    indicator: str
    value: str | None
    score: float | None
    status: str


class ResultsUpdatedData(BaseModel):
    revision: int
    completeness: float
    completed: bool = Field(description="true only on the update where completeness first hits 1.0")
    changed_indicators: list[IndicatorChange]
    open_conflicts: list[str]
    triggered_by: str | None = Field(default=None, description="event id that caused it")


class PublicationData(BaseModel):
    publication_id: str
    revision: int
    target: str = Field(description="static or http")
    location: str | None = None
    error: str | None = None
    attempts: int = 1


class SubmissionRejectedData(BaseModel):
    reason: str
    errors: list[dict[str, str]]
    submission_id: str | None = None


class SubmissionRejected(EventEnvelope[SubmissionRejectedData]):
    """Rejected inbound record: the envelope plus the fields operators look for first."""

    reason: str
    errors: list[dict[str, str]]
    original: str
    source_topic: str
    source_partition: int
    source_offset: int


class SubmissionAcceptedSummary(BaseModel):
    """A submissions.accepted event's data without its answers, for a reader that needs only
    whose submission it was and how it came: parsing skips the answers (about a hundred in a
    national submission, most of the event) instead of building and checking each."""

    submission_id: str
    actor_id: str
    source: str


SubmissionAccepted = EventEnvelope[SubmissionAcceptedData]
SubmissionAcceptedBrief = EventEnvelope[SubmissionAcceptedSummary]
AssessmentChanged = EventEnvelope[AssessmentChangedData]
ResultsUpdated = EventEnvelope[ResultsUpdatedData]
Publication = EventEnvelope[PublicationData]
