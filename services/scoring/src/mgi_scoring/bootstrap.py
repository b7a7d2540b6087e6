"""Wires the scoring service's consumers, relay and routes onto a running context."""

from mgi_scoring.adapters.mongo_repository import COLLECTION, MongoScoringRepository
from mgi_scoring.entrypoints.admin import admin_router
from mgi_scoring.entrypoints.consumers import on_assessment_changed, on_submission_accepted
from mgi_scoring.entrypoints.routes import results_router
from mgi_shared.auth import authenticator
from mgi_shared.contracts.topics import API_KEYS, ASSESSMENTS_CHANGED, SUBMISSIONS_ACCEPTED
from mgi_shared.keys import KeyReplica
from mgi_shared.locks import DocumentLocks
from mgi_shared.outbox import OutboxRelay
from mgi_shared.runtime import ServiceContext


async def wire(context: ServiceContext) -> None:
    settings = context.settings
    collection = context.db.get_collection(COLLECTION)
    locks = DocumentLocks()
    repo = MongoScoringRepository(collection, locks)
    await repo.ensure_indexes()

    keys = KeyReplica(context.db)
    context.consumer.subscribe(API_KEYS, keys.on_record)
    context.consumer.subscribe(SUBMISSIONS_ACCEPTED, on_submission_accepted(repo))
    context.consumer.subscribe(ASSESSMENTS_CHANGED, on_assessment_changed(repo))

    relay = OutboxRelay(
        collection,
        context.broker,
        settings.service_name,
        settings.mgi_outbox_poll_seconds,
        locks=locks,
    )
    context.run_in_background(relay.run_forever())

    token = settings.mgi_admin_token.get_secret_value() if settings.mgi_admin_token else None
    authenticate = authenticator(token, keys.lookup())
    context.app.include_router(results_router(repo, authenticate))
    context.app.include_router(admin_router(repo, authenticate))
