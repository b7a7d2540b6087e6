"""Wires the intake service's handlers and routes onto a running context."""

from fastapi import FastAPI

from mgi_intake.adapters.catalogues import CatalogueStore
from mgi_intake.adapters.rejections import RejectionPublisher
from mgi_intake.adapters.storage import prepare_storage
from mgi_intake.domain.key_usage import UsageThrottle
from mgi_intake.entrypoints import (
    routes_api_keys,
    routes_assessments,
    routes_catalogues,
    routes_history,
    routes_kobo,
    routes_submissions,
)
from mgi_intake.entrypoints.http_errors import install_error_handlers
from mgi_intake.entrypoints.kafka_inbound import inbound_handler
from mgi_intake.entrypoints.kafka_publications import publications_handler
from mgi_intake.service_layer.deps import make_deps
from mgi_intake.service_layer.key_usage import usage_recorder
from mgi_intake.settings import IntakeSettings
from mgi_shared.auth import authenticator
from mgi_shared.catalogue.loader import builtin_catalogues
from mgi_shared.contracts import topics
from mgi_shared.outbox import OutboxHints
from mgi_shared.outbox_relay import OutboxRelay
from mgi_shared.runtime import ServiceContext

# Every collection whose documents carry an outbox, each with its own relay.
OUTBOX_COLLECTIONS = ("submissions", "assessments", "api_keys")


async def wire(context: ServiceContext) -> None:
    settings = context.settings
    assert isinstance(settings, IntakeSettings)
    await prepare_storage(context.db)
    hints = {name: OutboxHints() for name in OUTBOX_COLLECTIONS}
    catalogues = CatalogueStore(context.db, builtin_catalogues())
    deps = make_deps(context.db, catalogues, hints, settings.key_signing_secret())
    context.app.state.deps = deps
    used = usage_recorder(deps.api_keys, UsageThrottle())
    context.app.state.authenticate = authenticator(
        settings.admin_key(), deps.api_keys.lookup(), used
    )
    context.consumer.subscribe(
        topics.SUBMISSIONS_INBOUND,
        inbound_handler(deps, RejectionPublisher(context.broker), settings.mgi_max_body_bytes),
    )
    context.consumer.subscribe(topics.PUBLICATIONS, publications_handler(deps))
    if settings.intake_outbox_relay:
        for name in OUTBOX_COLLECTIONS:
            relay = OutboxRelay(context.db[name], context.broker, "intake",
                                settings.mgi_outbox_sweep_seconds, hints=hints[name])  # fmt: skip
            context.run_in_background(relay.run_forever())


def configure_app(app: FastAPI) -> None:
    """What must be on the app before it starts: routes and the error shape.

    Routes are added here rather than in `wire` so the OpenAPI document can be
    produced without a broker or database; they find their dependencies on
    `app.state`, which `wire` fills in.
    """
    for module in (routes_assessments, routes_history, routes_submissions, routes_kobo,
                   routes_catalogues, routes_api_keys):  # fmt: skip
        app.include_router(module.router)
    install_error_handlers(app)
