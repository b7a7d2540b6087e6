"""Assessments and their actor maps; status changes carry their event in the same write.

Counts are kept on the assessment document (`counts`), changed by the writes that change them,
so reading an assessment never counts its submissions or actors.
"""

from pymongo.asynchronous.database import AsyncDatabase

from mgi_intake.adapters.mongo_updates import merge_updates
from mgi_shared.mongo import Document
from mgi_shared.outbox import (
    OutboxHints,
    insert_with_outbox,
    outbox_append_update,
    update_with_outbox,
)

NO_COUNTS: Document = {"submissions": 0, "actors": 0, "reporting": []}


class AssessmentRepository:
    def __init__(self, db: AsyncDatabase[Document], hints: OutboxHints | None = None) -> None:
        self.collection = db.assessments
        self._hints = hints
        self._actors = db.actors

    async def get(self, assessment_id: str) -> Document | None:
        return await self.collection.find_one({"_id": assessment_id}, {"outbox": 0})

    async def insert(self, document: Document, events: list[Document]) -> bool:
        """False when the id exists already (the caller compares bodies)."""
        counted = {**document, "counts": NO_COUNTS}
        return await insert_with_outbox(self.collection, counted, events, self._hints)

    async def move_status(
        self, assessment_id: str, current: str, new: Document, events: list[Document]
    ) -> bool:
        """Compare-and-set on the status, so two concurrent moves cannot both win."""
        update = merge_updates(
            {"$set": {"status": new["status"]}, "$push": {"status_history": new}},
            outbox_append_update(events),
        )
        query = {"_id": assessment_id, "status": current}
        return await update_with_outbox(self.collection, query, update, self._hints)

    async def put_actor(self, assessment_id: str, actor_id: str, actor: Document) -> None:
        document = {"assessment_id": assessment_id, "actor_id": actor_id, **actor}
        result = await self._actors.replace_one(
            {"_id": actor_key(assessment_id, actor_id)}, document, upsert=True
        )
        if result.upserted_id is not None:
            # A crash just here leaves the actor uncounted; putting it again does not heal that
            # (it is no longer new), so the count may then be one low until recounted.
            await self.collection.update_one({"_id": assessment_id}, {"$inc": {"counts.actors": 1}})

    async def actors(self, assessment_id: str) -> list[Document]:
        """The actor map, for an export (rare, admin tooling): MongoDB serves it from the
        `assessment_id` index; the local database ignores that index and scans `actors`,
        which is why nothing on a submission's path reads actors this way."""
        cursor = self._actors.find({"assessment_id": assessment_id}, {"_id": 0})
        return sorted(await cursor.to_list(None), key=lambda actor: str(actor["actor_id"]))

    async def count_submission(self, assessment_id: str, actor_id: str) -> None:
        """Add one stored submission to the kept counts (the caller claims it first)."""
        await self.collection.update_one(
            {"_id": assessment_id},
            {"$inc": {"counts.submissions": 1}, "$addToSet": {"counts.reporting": actor_id}},
        )

    async def assigned(self, assessment_id: str, actor_id: str) -> frozenset[str] | None:
        """One actor's indicators, read by `_id`: on every submission, so never a scan."""
        actor = await self._actors.find_one({"_id": actor_key(assessment_id, actor_id)})
        return frozenset(actor["indicators"]) if actor else None


def actor_key(assessment_id: str, actor_id: str) -> str:
    return f"{assessment_id}/{actor_id}"
