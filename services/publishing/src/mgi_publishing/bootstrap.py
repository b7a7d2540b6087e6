"""Wires the publishing service's consumers, relay, portal and routes onto a running context."""

from fastapi import FastAPI

from mgi_publishing.adapters.catalogue_texts import CatalogueTexts
from mgi_publishing.adapters.http_portal import HttpPortal
from mgi_publishing.adapters.repository import MongoPublishingRepository
from mgi_publishing.adapters.scoring_results import ScoringResults
from mgi_publishing.adapters.static_portal import StaticPortal
from mgi_publishing.entrypoints import routes_portal, routes_publications
from mgi_publishing.entrypoints.consumers import assessment_handler, results_handler
from mgi_publishing.ports import Portal
from mgi_publishing.service_layer.handlers import Deps
from mgi_publishing.settings import PublishingSettings
from mgi_shared.auth import authenticator
from mgi_shared.contracts.topics import API_KEYS, ASSESSMENTS_CHANGED, RESULTS_UPDATED
from mgi_shared.http_errors import install_validation_errors
from mgi_shared.keys import KeyReplica
from mgi_shared.outbox import OutboxHints
from mgi_shared.outbox_relay import OutboxRelay
from mgi_shared.runtime import ServiceContext


def make_portal(settings: PublishingSettings) -> Portal:
    """PORTAL_URL set: the portal's HTTP API; unset: static files under MGI_DATA_DIR/portal."""
    if settings.portal_url:
        return HttpPortal(
            settings.portal_url,
            settings.portal_token,
            timeout=settings.portal_timeout_seconds,
            budget_seconds=settings.portal_retry_seconds,
            max_attempts=settings.portal_attempts,
        )
    return StaticPortal(settings.portal_dir)


async def wire(context: ServiceContext) -> None:
    settings = context.settings
    assert isinstance(settings, PublishingSettings)
    hints = OutboxHints()
    repo = MongoPublishingRepository(context.db, hints)
    await repo.prepare_storage()
    admin_key = settings.admin_key()
    deps = Deps(
        repo=repo,
        results=ScoringResults(settings.scoring_base_url, admin_key),
        catalogues=CatalogueTexts(settings.intake_base_url, admin_key),
        portal=make_portal(settings),
    )

    keys = KeyReplica(context.db, settings.key_signing_secret())
    context.consumer.subscribe(API_KEYS, keys.on_record)
    context.consumer.subscribe(ASSESSMENTS_CHANGED, assessment_handler(deps))
    context.consumer.subscribe(RESULTS_UPDATED, results_handler(deps))

    relay = OutboxRelay(
        repo.collection,
        context.broker,
        settings.service_name,
        settings.mgi_outbox_sweep_seconds,
        hints=hints,
    )
    context.run_in_background(relay.run_forever())

    context.app.state.deps = deps
    context.app.state.authenticate = authenticator(admin_key, keys.lookup())


def configure_app(app: FastAPI) -> None:
    """Routes are on the app from its creation, so its OpenAPI document needs no broker or
    database; they find what `wire` puts on `app.state`."""
    app.include_router(routes_publications.router)
    app.include_router(routes_portal.router)
    install_validation_errors(app)
