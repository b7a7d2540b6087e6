"""Indexes intake relies on; creating them again is a no-op."""

from pymongo.asynchronous.database import AsyncDatabase

from mgi_shared.mongo import Document


async def ensure_indexes(db: AsyncDatabase[Document]) -> None:
    # Submission ids are unique by being the `_id`; these serve lookups and the relay.
    await db.submissions.create_index([("assessment_id", 1), ("actor_id", 1)])
    await db.actors.create_index([("assessment_id", 1)])
    for collection in ("submissions", "assessments", "api_keys"):
        await db[collection].create_index([("outbox_pending", 1)])
