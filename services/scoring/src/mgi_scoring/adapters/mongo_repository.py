"""Scoring state in the service's own database, one document per assessment.

FerretDB has no transactions: each save is one single-document update that
carries the new answers, the recomputed results, the processed event ids and
the results.updated event (outbox) together, guarded by a `version` compare-and-set
so that two replicas cannot overwrite each other's work.
"""

from contextlib import AbstractAsyncContextManager

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from mgi_scoring.adapters.documents import state_fields, state_from
from mgi_scoring.domain.state import ScoringState
from mgi_shared.locks import DocumentLocks
from mgi_shared.mongo import Document
from mgi_shared.outbox import outbox_append_update, outbox_fields_for_insert

COLLECTION = "assessments"
# The outbox can grow long; loading state never needs it.
STATE_PROJECTION = {"outbox": 0}


class MongoScoringRepository:
    def __init__(self, collection: AsyncCollection[Document], locks: DocumentLocks) -> None:
        self.collection = collection
        self.locks = locks

    def lock(self, assessment_id: str) -> AbstractAsyncContextManager[None]:
        return self.locks.hold(assessment_id)

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("jurisdiction", ASCENDING), ("round", ASCENDING)])
        await self.collection.create_index([("outbox_pending", ASCENDING)])

    async def load(self, assessment_id: str) -> ScoringState:
        document = await self.collection.find_one({"_id": assessment_id}, STATE_PROJECTION)
        return state_from(document) if document else ScoringState(assessment_id=assessment_id)

    async def save(
        self, state: ScoringState, expected_version: int, outbox: list[Document]
    ) -> bool:
        fields = state_fields(state)
        if expected_version == 0:
            document = {"_id": state.assessment_id, "version": 1, **fields}
            try:
                await self.collection.insert_one({**document, **outbox_fields_for_insert(outbox)})
            except DuplicateKeyError:
                return False
            return True
        update: Document = {"$set": fields, "$inc": {"version": 1}}
        if outbox:
            append = outbox_append_update(outbox)
            update = {
                "$set": {**fields, **append["$set"]},
                "$inc": {"version": 1, **append["$inc"]},
                "$push": append["$push"],
            }
        result = await self.collection.update_one(
            {"_id": state.assessment_id, "version": expected_version}, update
        )
        return result.matched_count == 1

    async def in_round(self, jurisdiction: str, round_number: int) -> list[ScoringState]:
        cursor = self.collection.find(
            {"jurisdiction": jurisdiction, "round": round_number}, STATE_PROJECTION
        ).sort("_id", ASCENDING)
        return [state_from(document) async for document in cursor]

    async def all_ids(self) -> list[str]:
        cursor = self.collection.find({"info": {"$ne": None}}, {"_id": 1}).sort("_id", ASCENDING)
        return [document["_id"] async for document in cursor]
