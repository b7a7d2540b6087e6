"""Which payload travels on which topic: the source of the JSON Schemas and the AsyncAPI file."""

from dataclasses import dataclass

from pydantic import BaseModel

from mgi_shared.auth import ApiKeyRecord
from mgi_shared.contracts import topics
from mgi_shared.contracts.envelope import EventEnvelope
from mgi_shared.contracts.payloads import (
    AssessmentChanged,
    Publication,
    ResultsUpdated,
    SubmissionAccepted,
    SubmissionRejected,
)
from mgi_shared.contracts.submission import Submission


@dataclass(frozen=True)
class Channel:
    topic: str
    payload: type[BaseModel]
    producer: str
    consumers: tuple[str, ...]
    description: str


CHANNELS: tuple[Channel, ...] = (
    Channel(topics.SUBMISSIONS_INBOUND, Submission, "other systems", ("intake",),
            "Questionnaire submissions published by other systems; key = assessment_id."),
    Channel(topics.SUBMISSIONS_REJECTED, SubmissionRejected, "intake",
            ("notifications", "operators"),
            "Inbound records intake could not accept, with the reason and the original text."),
    Channel(topics.SUBMISSIONS_ACCEPTED, SubmissionAccepted, "intake",
            ("scoring", "notifications"),
            "Validated, stored submissions with their answers; key = assessment_id."),
    Channel(topics.ASSESSMENTS_CHANGED, AssessmentChanged, "intake",
            ("scoring", "publishing", "notifications"),
            "An assessment was created or moved to another status."),
    Channel(topics.RESULTS_UPDATED, ResultsUpdated, "scoring", ("publishing", "notifications"),
            "A new revision of an assessment's results."),
    Channel(topics.PUBLICATIONS, Publication, "publishing", ("intake", "notifications"),
            "An attempt to publish a profile to the portal, succeeded or failed."),
    Channel(topics.API_KEYS, EventEnvelope[ApiKeyRecord], "intake",
            ("scoring", "publishing", "notifications"),
            "API keys created or revoked: id, hash, role and jurisdictions, never the key."),
)  # fmt: skip
