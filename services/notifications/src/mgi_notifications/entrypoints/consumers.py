"""Thin Kafka handlers: parse the envelope, name the assessment, hand it to the use case."""

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel

from mgi_notifications.adapters.assessments import AssessmentStore
from mgi_notifications.domain import translation
from mgi_notifications.domain.events import NotificationType
from mgi_notifications.service_layer.handling import handle
from mgi_notifications.service_layer.recording import Recorder
from mgi_shared.contracts.payloads import (
    AssessmentChanged,
    Publication,
    ResultsUpdated,
    SubmissionAcceptedBrief,
    SubmissionRejected,
)
from mgi_shared.contracts.topics import (
    ASSESSMENTS_CHANGED,
    PUBLICATIONS,
    RESULTS_UPDATED,
    SUBMISSIONS_ACCEPTED,
    SUBMISSIONS_REJECTED,
)
from mgi_shared.kafka.events import parse
from mgi_shared.kafka.records import InboundRecord

RecordHandler = Callable[[InboundRecord], Awaitable[None]]

# topic -> (event model, translation)
# Notifications never reads a submission's answers: the accepted event is parsed without them.
TRANSLATIONS: dict[str, tuple[type[BaseModel], Callable[..., Any]]] = {
    SUBMISSIONS_ACCEPTED: (SubmissionAcceptedBrief, translation.from_accepted),
    SUBMISSIONS_REJECTED: (SubmissionRejected, translation.from_rejected),
    ASSESSMENTS_CHANGED: (AssessmentChanged, translation.from_changed),
    RESULTS_UPDATED: (ResultsUpdated, translation.from_results),
    PUBLICATIONS: (Publication, translation.from_publication),
}
# Topics whose events become this one notification and teach nothing else worth keeping about
# their assessment: one that names its jurisdiction, which no subscription asks about, is
# dropped before any read (the submission topics carry one record per submission).
SOLE_NOTIFICATION: dict[str, NotificationType] = {
    SUBMISSIONS_ACCEPTED: NotificationType.SUBMISSION_ACCEPTED,
    SUBMISSIONS_REJECTED: NotificationType.SUBMISSION_REJECTED,
}


def handler_for(topic: str, assessments: AssessmentStore, recorder: Recorder) -> RecordHandler:
    model, translate = TRANSLATIONS[topic]
    sole = SOLE_NOTIFICATION.get(topic)

    async def on_record(record: InboundRecord) -> None:
        event = parse(model, record)
        assessment_id = getattr(event, "assessment_id", None) or record.key_text
        if not assessment_id:
            return  # e.g. a rejected record naming no assessment: no subscriber can match it
        jurisdiction = getattr(event, "jurisdiction", None)
        if sole is not None and jurisdiction and not await recorder.wanted(sole, jurisdiction):
            return
        await handle(assessments, recorder, assessment_id, event, translate)

    return on_record
