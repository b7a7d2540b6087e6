"""Request and response bodies of the notifications HTTP API (contract section 7)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from mgi_notifications.domain.addresses import MAX_ADDRESS_LENGTH
from mgi_notifications.domain.events import NotificationType
from mgi_notifications.domain.subscriptions import Channel

# As intake writes them (mgi_intake.domain.jurisdictions): IDN, or IDN-JK for a local one.
JURISDICTION = r"^[A-Z]{3}(-[A-Z0-9]{1,12})?$"


class ErrorItem(BaseModel):
    field: str = Field(description="where the problem is, e.g. address")
    message: str


class Problems(BaseModel):
    detail: list[ErrorItem]


class Message(BaseModel):
    detail: str


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Channel
    address: str = Field(
        min_length=3,
        max_length=MAX_ADDRESS_LENGTH,
        description="an email address, or an https URL for a webhook",
    )
    jurisdictions: list[Annotated[str, StringConstraints(max_length=32, pattern=JURISDICTION)]] = (
        Field(
            min_length=1,
            max_length=200,
            description="a country covers its local jurisdictions (IDN covers IDN-JK)",
            examples=[["IDN"]],
        )
    )
    events: list[NotificationType] = Field(min_length=1, max_length=20)
    language: Literal["en", "fr", "es"] = "en"


class SubscriptionPublic(BaseModel):
    subscription_id: str
    channel: Channel
    address: str
    jurisdictions: list[str]
    events: list[NotificationType]
    language: str
    created_at: datetime


class SubscriptionCreated(SubscriptionPublic):
    secret: str | None = Field(
        default=None,
        description="webhooks only: the HMAC key of X-MGI-Signature, shown this once",
    )


class SubscriptionList(BaseModel):
    subscriptions: list[SubscriptionPublic]


class AttemptPublic(BaseModel):
    at: datetime
    outcome: Literal["sent", "failed", "interrupted"]
    error: str | None = None


class DeliveryPublic(BaseModel):
    delivery_id: str
    subscription_id: str
    channel: Channel
    assessment_id: str
    event_ids: list[str]
    event_types: list[NotificationType]
    digest: bool = Field(description="an email gathering one assessment's submission events")
    status: Literal["collecting", "pending", "sending", "sent", "failed"]
    attempts: list[AttemptPublic]
    created_at: datetime
    sent_at: datetime | None = None
    next_attempt_at: datetime | None = Field(
        default=None, description="when it is sent or tried next, while pending or collecting"
    )


class DeliveryList(BaseModel):
    deliveries: list[DeliveryPublic]
