"""Which subscriptions an event reaches: by event name and jurisdiction scope."""

from collections.abc import Iterable

from pydantic import BaseModel

from mgi_notifications.domain.events import NotificationEvent


def covers(scope: str, jurisdiction: str) -> bool:
    """A country's subscription covers its local jurisdictions too (IDN covers IDN-JK), as
    API key scopes do (mgi_shared.auth.Principal.covers)."""
    return jurisdiction == scope or jurisdiction.startswith(f"{scope}-")


class Interest(BaseModel):
    """What a subscription asks for; the rest of it (address, secret) matching never needs."""

    subscription_id: str
    jurisdictions: list[str]
    events: list[str]


def matches(interest: Interest, event: NotificationEvent) -> bool:
    return event.event_type.value in interest.events and any(
        covers(scope, event.jurisdiction) for scope in interest.jurisdictions
    )


def matching(interests: Iterable[Interest], event: NotificationEvent) -> list[str]:
    """Ids of the subscriptions `event` reaches, in a stable order."""
    return sorted(i.subscription_id for i in interests if matches(i, event))
