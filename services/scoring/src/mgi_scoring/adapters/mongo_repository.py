"""Scoring state in the service's own database, one document per assessment.

The database has no transactions: each save is one single-document update that
carries the answer book, the recomputed results, the recent event ids and the
results.updated event (outbox) together, guarded by a `version` compare-and-set
so that two replicas cannot overwrite each other's work.

Which assessments belong to a jurisdiction's round is kept apart, in small
documents of their own: FerretDB answers any query not by `_id` by reading the
whole collection, and the assessment documents are large.
"""

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from mgi_scoring.adapters.documents import OLD_FIELDS, info_from, state_fields, state_from
from mgi_scoring.domain.state import ScoringState
from mgi_shared.mongo import Document
from mgi_shared.outbox import OutboxHints, insert_with_outbox, notify, outbox_append_update

COLLECTION = "assessments"
# The outbox can grow long; loading state never needs it.
STATE_PROJECTION = {"outbox": 0}
ROUNDS_LISTED = "rounds-listed"


class MongoScoringRepository:
    def __init__(
        self,
        collection: AsyncCollection[Document],
        hints: OutboxHints | None = None,
    ) -> None:
        self.collection = collection
        self._hints = hints
        # {_id: assessment id, jurisdiction, round}; a jurisdiction and round never change.
        self.rounds = collection.database.get_collection(f"{collection.name}_rounds")
        # One-off data changes done on this database, by name: each runs once, not every start.
        self.migrations = collection.database.get_collection(f"{collection.name}_migrations")
        self._listed: set[str] = set()

    async def prepare_storage(self) -> None:
        """Indexes, and the rounds list for assessments stored before it existed."""
        await self.collection.create_index([("outbox_pending", ASCENDING)])
        await self.rounds.create_index([("jurisdiction", ASCENDING), ("round", ASCENDING)])
        self._listed = {document["_id"] async for document in self.rounds.find({}, {"_id": 1})}
        if await self.migrations.find_one({"_id": ROUNDS_LISTED}) is None:
            await self._list_unlisted_rounds()
            # From here on every save lists its assessment first, so this never needs redoing.
            await self.migrations.update_one(
                {"_id": ROUNDS_LISTED}, {"$set": {"done": True}}, upsert=True
            )

    async def _list_unlisted_rounds(self) -> None:
        """One read of the whole collection, which FerretDB makes slow: hence done once."""
        query = {"info": {"$ne": None}, "_id": {"$nin": sorted(self._listed)}}
        async for document in self.collection.find(query, {"info": 1}):
            info = info_from(document["info"])
            await self._list_round(document["_id"], info.jurisdiction, info.round)

    async def _list_round(self, assessment_id: str, jurisdiction: str, round_number: int) -> None:
        if assessment_id in self._listed:
            return
        await self.rounds.update_one(
            {"_id": assessment_id},
            {"$set": {"jurisdiction": jurisdiction, "round": round_number}},
            upsert=True,
        )
        self._listed.add(assessment_id)

    async def load(self, assessment_id: str) -> ScoringState:
        document = await self.collection.find_one({"_id": assessment_id}, STATE_PROJECTION)
        return state_from(document) if document else ScoringState(assessment_id=assessment_id)

    async def save(
        self, state: ScoringState, expected_version: int, outbox: list[Document]
    ) -> bool:
        fields = state_fields(state)
        if state.info is not None:
            # Listed before the state is written: a crash in between lists an assessment
            # whose state comes with the redelivered event; never a state that is unlisted.
            await self._list_round(state.assessment_id, state.info.jurisdiction, state.info.round)
        if expected_version == 0:
            document = {"_id": state.assessment_id, "version": 1, **fields}
            return await insert_with_outbox(self.collection, document, outbox, self._hints)
        update: Document = {"$set": fields, "$inc": {"version": 1}, "$unset": OLD_FIELDS}
        if outbox:
            append = outbox_append_update(outbox)
            update = {
                **update,
                "$set": {**fields, **append["$set"]},
                "$inc": {"version": 1, **append["$inc"]},
                "$push": append["$push"],
            }
        result = await self.collection.update_one(
            {"_id": state.assessment_id, "version": expected_version}, update
        )
        if result.matched_count != 1:
            return False
        if outbox:
            notify(self._hints, state.assessment_id)
        return True

    async def in_round(self, jurisdiction: str, round_number: int) -> list[ScoringState]:
        query = {"jurisdiction": jurisdiction, "round": round_number}
        cursor = self.rounds.find(query, {"_id": 1}).sort("_id", ASCENDING)
        return [await self.load(document["_id"]) async for document in cursor]

    async def all_ids(self) -> list[str]:
        cursor = self.rounds.find({}, {"_id": 1}).sort("_id", ASCENDING)
        return [document["_id"] async for document in cursor]
