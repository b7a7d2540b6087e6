"""The notification events subscribers choose from (contract section 7), as the service keeps them.

They are derived from the platform's events; each keeps the source event's id (or, when one
source event yields several notifications, an id derived from it), so a repeated source event
yields the same notification and so the same delivery.
"""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class NotificationType(StrEnum):
    SUBMISSION_ACCEPTED = "submission.accepted"
    SUBMISSION_REJECTED = "submission.rejected"
    RESULTS_CONFLICT = "results.conflict"
    ASSESSMENT_COMPLETED = "assessment.completed"
    ASSESSMENT_STATUS_CHANGED = "assessment.status_changed"
    PUBLICATION_SUCCEEDED = "publication.succeeded"
    PUBLICATION_FAILED = "publication.failed"


# Gathered into one mail per assessment and subscription (a burst must not become 500 mails).
DIGESTED = frozenset({NotificationType.SUBMISSION_ACCEPTED, NotificationType.SUBMISSION_REJECTED})


class NotificationEvent(BaseModel):
    """One thing that happened, as a subscriber sees it; `data` is the webhook's `data`."""

    event_id: str
    event_type: NotificationType
    assessment_id: str
    jurisdiction: str
    jurisdiction_name: str = ""
    occurred_at: datetime
    data: dict[str, Any] = Field(default_factory=dict)
    # Where the published profile is, once there is one (for the mail's link).
    portal_location: str | None = None


def derived_id(source_event_id: str, event_type: NotificationType) -> str:
    """A stable id for a notification that is one of several from the same source event."""
    return str(uuid.uuid5(uuid.UUID(source_event_id), event_type.value))
