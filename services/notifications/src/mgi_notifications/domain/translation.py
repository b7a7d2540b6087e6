"""The platform's events turned into the notification events subscribers choose from.

Pure: each function takes the source event and what is known of its assessment, and returns
the notifications plus what to remember. Repeats are harmless: the notifications keep ids
derived from the source event, so a repeat reaches the same delivery records.
"""

from collections.abc import Mapping
from dataclasses import replace

from mgi_notifications.domain.assessments import AssessmentInfo
from mgi_notifications.domain.events import NotificationEvent, NotificationType, derived_id
from mgi_shared.contracts.payloads import (
    AssessmentChanged,
    EventType,
    Publication,
    ResultsUpdated,
    SubmissionAccepted,
    SubmissionAcceptedBrief,
    SubmissionRejected,
)

Outcome = tuple[list[NotificationEvent], AssessmentInfo]


def _event(
    info: AssessmentInfo,
    event_id: str,
    event_type: NotificationType,
    source: SubmissionAccepted
    | SubmissionAcceptedBrief
    | SubmissionRejected
    | AssessmentChanged
    | ResultsUpdated
    | Publication,
    data: Mapping[str, object],
) -> NotificationEvent:
    jurisdiction = source.jurisdiction or info.jurisdiction
    return NotificationEvent(
        event_id=event_id,
        event_type=event_type,
        assessment_id=info.assessment_id,
        jurisdiction=jurisdiction,
        jurisdiction_name=info.name(jurisdiction),
        occurred_at=source.occurred_at,
        data=dict(data),
        portal_location=info.portal_location,
    )


def _known(info: AssessmentInfo, jurisdiction: str | None) -> AssessmentInfo:
    if jurisdiction and not info.jurisdiction:
        return replace(info, jurisdiction=jurisdiction)
    return info


def from_accepted(
    event: SubmissionAccepted | SubmissionAcceptedBrief, info: AssessmentInfo
) -> Outcome:
    info = _known(info, event.jurisdiction)
    if not info.jurisdiction:
        return [], info
    data = {"submission_id": event.data.submission_id, "source": event.data.source}
    notification = _event(
        info, str(event.event_id), NotificationType.SUBMISSION_ACCEPTED, event, data
    )
    return [notification], info


def from_rejected(event: SubmissionRejected, info: AssessmentInfo) -> Outcome:
    """A rejected record that names no assessment or jurisdiction reaches nobody: subscriptions
    are per jurisdiction. Only the reason and the fields in error go out, never the record."""
    info = _known(info, event.jurisdiction)
    if not info.jurisdiction:
        return [], info
    data = {
        "submission_id": event.data.submission_id,
        "reason": event.data.reason,
        "fields": sorted({e.get("field", "") for e in event.data.errors if e.get("field")}),
    }
    notification = _event(
        info, str(event.event_id), NotificationType.SUBMISSION_REJECTED, event, data
    )
    return [notification], info


def from_changed(event: AssessmentChanged, info: AssessmentInfo) -> Outcome:
    data_j = event.data.jurisdiction
    info = replace(info, jurisdiction=data_j.code, jurisdiction_name=data_j.name)
    if event.event_type != EventType.ASSESSMENT_STATUS_CHANGED.value:
        return [], info
    if event.data.previous_status == event.data.status:
        return [], info
    data = {
        "status": event.data.status.value,
        "previous_status": event.data.previous_status.value if event.data.previous_status else None,
    }
    notification = _event(
        info, str(event.event_id), NotificationType.ASSESSMENT_STATUS_CHANGED, event, data
    )
    return [notification], info


def from_results(event: ResultsUpdated, info: AssessmentInfo) -> Outcome:
    """`results.conflict` when a conflict not open at the last revision appears;
    `assessment.completed` once, on the update where completeness first reaches 1.0.
    An older or repeated revision changes nothing (records of one assessment come in order,
    but a retried one may come late)."""
    info = _known(info, event.jurisdiction)
    results = event.data
    if results.revision <= info.results_revision:
        return [], info
    notifications: list[NotificationEvent] = []
    new_conflicts = sorted(set(results.open_conflicts) - set(info.known_conflicts))
    source_id = str(event.event_id)
    if new_conflicts and info.jurisdiction:
        kind = NotificationType.RESULTS_CONFLICT
        data = {"revision": results.revision, "indicators": new_conflicts,
                "open_conflicts": len(results.open_conflicts)}  # fmt: skip
        notifications.append(_event(info, derived_id(source_id, kind), kind, event, data))
    completed_now = results.completed and not info.completed
    if completed_now and info.jurisdiction:
        kind = NotificationType.ASSESSMENT_COMPLETED
        data = {"revision": results.revision, "completeness": results.completeness}
        notifications.append(_event(info, derived_id(source_id, kind), kind, event, data))
    info = replace(
        info,
        known_conflicts=tuple(sorted(results.open_conflicts)),
        results_revision=results.revision,
        completed=info.completed or results.completed,
    )
    return notifications, info


def from_publication(event: Publication, info: AssessmentInfo) -> Outcome:
    info = _known(info, event.jurisdiction)
    publication = event.data
    if event.event_type == EventType.PUBLICATION_SUCCEEDED.value:
        kind = NotificationType.PUBLICATION_SUCCEEDED
        info = replace(info, portal_location=publication.location or info.portal_location)
        data: dict[str, object] = {"publication_id": publication.publication_id,
                                   "revision": publication.revision,
                                   "location": publication.location}  # fmt: skip
    elif event.event_type == EventType.PUBLICATION_FAILED.value:
        kind = NotificationType.PUBLICATION_FAILED
        data = {"publication_id": publication.publication_id, "revision": publication.revision,
                "error": publication.error, "attempts": publication.attempts}  # fmt: skip
    else:
        return [], info
    if not info.jurisdiction:
        return [], info
    return [_event(info, str(event.event_id), kind, event, data)], info
