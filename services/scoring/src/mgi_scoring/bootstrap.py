"""Wires the scoring service's consumers, relay and routes onto a running context."""

from fastapi import FastAPI

from mgi_scoring.adapters.mongo_repository import COLLECTION, MongoScoringRepository
from mgi_scoring.entrypoints import admin, results
from mgi_scoring.entrypoints.consumers import (
    on_assessment_changed,
    on_submission_accepted,
    on_submissions_accepted_together,
)
from mgi_shared.auth import authenticator
from mgi_shared.contracts.topics import API_KEYS, ASSESSMENTS_CHANGED, SUBMISSIONS_ACCEPTED
from mgi_shared.http_errors import install_validation_errors
from mgi_shared.keys import KeyReplica
from mgi_shared.outbox import OutboxHints
from mgi_shared.outbox_relay import OutboxRelay
from mgi_shared.runtime import ServiceContext


async def wire(context: ServiceContext) -> None:
    settings = context.settings
    collection = context.db.get_collection(COLLECTION)
    hints = OutboxHints()
    repo = MongoScoringRepository(collection, hints)
    await repo.prepare_storage()

    keys = KeyReplica(context.db, settings.key_signing_secret())
    context.consumer.subscribe(API_KEYS, keys.on_record)
    context.consumer.subscribe(
        SUBMISSIONS_ACCEPTED,
        on_submission_accepted(repo),
        # A busy assessment's submissions in one batch: one save for them all.
        together=on_submissions_accepted_together(repo),
    )
    context.consumer.subscribe(ASSESSMENTS_CHANGED, on_assessment_changed(repo))

    relay = OutboxRelay(
        collection,
        context.broker,
        settings.service_name,
        settings.mgi_outbox_sweep_seconds,
        hints=hints,
    )
    context.run_in_background(relay.run_forever())

    context.app.state.repository = repo
    context.app.state.authenticate = authenticator(settings.admin_key(), keys.lookup())


def configure_app(app: FastAPI) -> None:
    """Routes are on the app from its creation, so its OpenAPI document needs no broker or
    database; they find the repository and authenticator that `wire` puts on `app.state`."""
    app.include_router(results.router)
    app.include_router(admin.router)
    install_validation_errors(app)
