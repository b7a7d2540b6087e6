"""FastAPI dependencies: the stores that `wire` puts on the app at start."""

from typing import Annotated

from fastapi import Depends, Request

from mgi_notifications.adapters.deliveries import DeliveryStore
from mgi_notifications.adapters.subscriptions import SubscriptionStore
from mgi_notifications.service_layer.hints import SendHints
from mgi_notifications.settings import NotificationsSettings


def get_subscriptions(request: Request) -> SubscriptionStore:
    store: SubscriptionStore = request.app.state.subscriptions
    return store


def get_deliveries(request: Request) -> DeliveryStore:
    store: DeliveryStore = request.app.state.deliveries
    return store


def get_hints(request: Request) -> SendHints:
    hints: SendHints = request.app.state.hints
    return hints


def get_settings(request: Request) -> NotificationsSettings:
    settings: NotificationsSettings = request.app.state.context.settings
    return settings


Subscriptions = Annotated[SubscriptionStore, Depends(get_subscriptions)]
Deliveries = Annotated[DeliveryStore, Depends(get_deliveries)]
Hints = Annotated[SendHints, Depends(get_hints)]
Settings = Annotated[NotificationsSettings, Depends(get_settings)]
