"""Wires the notifications service's consumers, sender and routes onto a running context."""

from fastapi import FastAPI

from mgi_notifications.adapters.assessments import AssessmentStore
from mgi_notifications.adapters.deliveries import DeliveryStore
from mgi_notifications.adapters.smtp import SmtpMailer
from mgi_notifications.adapters.subscriptions import SubscriptionStore
from mgi_notifications.adapters.webhooks import WebhookPoster
from mgi_notifications.entrypoints import routes_deliveries, routes_subscriptions
from mgi_notifications.entrypoints.consumers import TRANSLATIONS, handler_for
from mgi_notifications.service_layer.hints import SendHints
from mgi_notifications.service_layer.recording import Recorder
from mgi_notifications.service_layer.sender import Sender
from mgi_notifications.settings import NotificationsSettings
from mgi_shared.auth import authenticator
from mgi_shared.contracts.topics import API_KEYS
from mgi_shared.http_errors import install_validation_errors
from mgi_shared.keys import KeyReplica
from mgi_shared.runtime import ServiceContext


async def wire(context: ServiceContext) -> None:
    settings = context.settings
    assert isinstance(settings, NotificationsSettings)
    subscriptions = SubscriptionStore(context.db)
    deliveries = DeliveryStore(context.db)
    await deliveries.prepare()
    assessments = AssessmentStore(context.db)
    hints = SendHints()
    recorder = Recorder(subscriptions, deliveries, hints, settings.mgi_digest_seconds,
                        settings.mgi_delivery_lease_seconds)  # fmt: skip

    keys = KeyReplica(context.db, settings.key_signing_secret())
    context.consumer.subscribe(API_KEYS, keys.on_record)
    for topic in TRANSLATIONS:
        context.consumer.subscribe(topic, handler_for(topic, assessments, recorder))

    poster = WebhookPoster(settings.mgi_webhook_allow_private, settings.webhook_timeout_seconds)
    sender = Sender(deliveries, subscriptions, SmtpMailer(settings), poster, hints, settings)
    context.run_in_background(_send_until_stopped(sender, poster))

    context.app.state.subscriptions = subscriptions
    context.app.state.deliveries = deliveries
    context.app.state.hints = hints
    context.app.state.sender = sender
    context.app.state.authenticate = authenticator(settings.admin_key(), keys.lookup())


async def _send_until_stopped(sender: Sender, poster: WebhookPoster) -> None:
    try:
        await sender.run_forever()
    finally:
        await poster.close()  # its open connections to receivers


def configure_app(app: FastAPI) -> None:
    """Routes are on the app from its creation, so its OpenAPI document needs no broker or
    database; they find the stores and authenticator that `wire` puts on `app.state`."""
    app.include_router(routes_subscriptions.router)
    app.include_router(routes_deliveries.router)
    install_validation_errors(app)
