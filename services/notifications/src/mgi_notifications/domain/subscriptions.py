"""A subscription: who hears about which events of which jurisdictions, and how."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel

from mgi_notifications.domain.matching import Interest


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class Subscription(BaseModel):
    subscription_id: str
    channel: Channel
    # An email address or a webhook URL: personal or internal data, never logged or traced.
    address: str
    jurisdictions: list[str]
    events: list[str]
    language: str = "en"
    # Webhooks only: the HMAC key of their signatures, shown once at creation.
    secret: str | None = None
    created_at: datetime

    @property
    def interest(self) -> Interest:
        return Interest(
            subscription_id=self.subscription_id,
            jurisdictions=self.jurisdictions,
            events=self.events,
        )
