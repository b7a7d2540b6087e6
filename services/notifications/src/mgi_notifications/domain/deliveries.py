"""A delivery: one send to one subscription, of one event or of a digest of several.

Its life: `collecting` (a digest still gathering events, until `due_at`) or `pending` ->
`sending` (claimed by one sender until `claimed_until`) -> `sent`, or back to `pending` with a
later `due_at` after a failed attempt, or `failed` after the last one. A claim whose sender died
runs out and the delivery is claimed again: the attempt it was in is recorded as interrupted.
"""

import math
from enum import StrEnum

from mgi_notifications.domain.events import NotificationEvent


class Status(StrEnum):
    COLLECTING = "collecting"
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


def single_id(event_id: str, subscription_id: str) -> str:
    """One delivery per (event, subscription): a repeated event finds its delivery taken."""
    return f"{event_id}:{subscription_id}"


def digest_window(event: NotificationEvent, window_seconds: float) -> tuple[int, float]:
    """The window an event's digest belongs to, and when that digest is due.

    Windows are fixed slices of time by the event's own `occurred_at`, so a repeated event
    falls in the same window, and a digest goes out at most `window_seconds` after the
    first event in it happened.
    """
    number = math.floor(event.occurred_at.timestamp() / window_seconds)
    return number, (number + 1) * window_seconds


def digest_id(subscription_id: str, assessment_id: str, window: int) -> str:
    return f"digest:{subscription_id}:{assessment_id}:{window}"


class SendError(Exception):
    """A send that did not succeed. `reason` is safe to store and show: it never carries the
    address, URL or the server's reply text (which may quote the address)."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
