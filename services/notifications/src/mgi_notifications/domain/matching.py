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


def wants(interest: Interest, event_type: str, jurisdiction: str) -> bool:
    return event_type in interest.events and any(
        covers(scope, jurisdiction) for scope in interest.jurisdictions
    )


def matches(interest: Interest, event: NotificationEvent) -> bool:
    return wants(interest, event.event_type.value, event.jurisdiction)


def matching(interests: Iterable[Interest], event: NotificationEvent) -> list[str]:
    """Ids of the subscriptions `event` reaches, in a stable order."""
    return sorted(i.subscription_id for i in interests if matches(i, event))
