"""Building the outbox entries of intake's events: ids in, never keys or emails."""

from mgi_shared.catalogue.model import Catalogue
from mgi_shared.contracts import topics
from mgi_shared.contracts.envelope import EventEnvelope
from mgi_shared.contracts.payloads import (
    AssessmentChangedData,
    AssessmentStatus,
    EventType,
    JurisdictionData,
)
from mgi_shared.mongo import Document
from mgi_shared.outbox import outbox_entry


def assessment_changed(
    assessment: Document,
    catalogue: Catalogue,
    status: AssessmentStatus,
    previous: AssessmentStatus | None,
) -> Document:
    event_type = (
        EventType.ASSESSMENT_CREATED if previous is None else EventType.ASSESSMENT_STATUS_CHANGED
    )
    jurisdiction = JurisdictionData.model_validate(assessment["jurisdiction"])
    event = EventEnvelope[AssessmentChangedData](
        event_type=event_type,
        assessment_id=assessment["assessment_id"],
        jurisdiction=jurisdiction.code,
        data=AssessmentChangedData(
            status=status,
            previous_status=previous,
            scope=assessment["scope"],
            round=assessment["round"],
            catalogue_version=assessment["catalogue_version"],
            jurisdiction=jurisdiction,
            languages=assessment["languages"],
            catalogue=catalogue.structure(),
        ),
    )
    return outbox_entry(topics.ASSESSMENTS_CHANGED, assessment["assessment_id"], event)
