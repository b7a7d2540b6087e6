"""The JSON a webhook receives for one event (contract section 7)."""

from typing import Any

from mgi_notifications.domain.events import NotificationEvent


def webhook_payload(event: NotificationEvent) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "event_type": event.event_type.value,
        "assessment_id": event.assessment_id,
        "jurisdiction": event.jurisdiction,
        "occurred_at": event.occurred_at.isoformat(),
        "data": event.data,
    }
