"""Scoring state in the service's own database, one document per assessment.

The database has no transactions: each save is one single-document update that
carries the answer book, the recomputed results, the recent event ids and the
results.updated event (outbox) together, guarded by a `version` compare-and-set
so that two replicas cannot overwrite each other's work.

Every read and write on a submission's path is by `_id`: the local server
(mongo-java-server) ignores non-unique indexes, so any other query reads the
whole collection. Which assessments make up a jurisdiction's round is kept in
one small document per round for that reason.
"""

import time
from collections import OrderedDict
from contextlib import suppress
from dataclasses import replace

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import OperationFailure

from mgi_scoring.adapters.documents import (
    OLD_FIELDS,
    in_current_layout,
    results_from,
    state_fields,
    state_from,
)
from mgi_scoring.domain.results import Results
from mgi_scoring.domain.state import ScoringState
from mgi_shared.mongo import Document
from mgi_shared.outbox import (
    OutboxHints,
    insert_with_outbox,
    prepare_outbox,
    update_with_outbox,
)

COLLECTION = "assessments"
# The outbox can grow long; loading state never needs it.
STATE_PROJECTION = {"outbox": 0}
# One-off data changes, by name (recorded in the migrations collection once done).
# States kept in memory as last written or read, so a change need not read its document
# first: the save's compare-and-set on `version` tells when another writer moved it on.
# National assessments decode to about 200 KB each; 256 of them, with the decoding and encoding
# around them, took the service over 200 MB of RSS in `mgi bench` (225 MB). 128 still hold every
# assessment a bench level works on at once (100).
CACHED_STATES = 128
ROUNDS_LISTED = "rounds-listed"  # list the assessments stored before any rounds list
ROUNDS_BY_ID = "rounds-by-id"  # rows of one assessment each -> one document per round
OLD_ROUNDS_INDEX = "jurisdiction_1_round_1"
ROUNDS_FRESH_SECONDS = 5.0


def round_id(jurisdiction: str, round_number: int) -> str:
    return f"{jurisdiction}/{round_number}"


class MongoScoringRepository:
    def __init__(
        self,
        collection: AsyncCollection[Document],
        hints: OutboxHints | None = None,
    ) -> None:
        self.collection = collection
        self._hints = hints
        # {_id: "IDN/2", jurisdiction, round, assessments: [ids]}: a handful of assessments per
        # jurisdiction and round; an assessment's jurisdiction and round never change.
        self.rounds = collection.database.get_collection(f"{collection.name}_rounds")
        self.migrations = collection.database.get_collection(f"{collection.name}_migrations")
        self._listed: set[str] = set()  # listed by this process: no need to list them again
        self._states: OrderedDict[str, ScoringState] = OrderedDict()  # least recent first
        # Round id -> (when read, its members): see round_members.
        self._rounds_read: dict[str, tuple[float, set[str]]] = {}

    async def prepare_storage(self) -> None:
        """Indexes, and the one-off migrations of data stored by older versions."""
        # The relay's sweep for entries a crash left unsent: the only query not by `_id`
        # (real MongoDB uses the index; the local server reads the collection anyway).
        await prepare_outbox(self.collection)
        if await self.migrations.find_one({"_id": ROUNDS_BY_ID}) is None:
            await self._rounds_by_id()
            await self._record_done(ROUNDS_BY_ID)
        if await self.migrations.find_one({"_id": ROUNDS_LISTED}) is None:
            await self._list_unlisted_rounds()
            # From here on every save lists its assessment first, so this never needs redoing.
            await self._record_done(ROUNDS_LISTED)

    async def _record_done(self, migration: str) -> None:
        await self.migrations.update_one({"_id": migration}, {"$set": {"done": True}}, upsert=True)

    async def _rounds_by_id(self) -> None:
        """The older layout, one row per assessment found by a query on jurisdiction and round,
        into documents per round; each row is moved, then deleted, so a rerun is harmless."""
        rows = [row async for row in self.rounds.find({}) if "assessments" not in row]
        for row in rows:
            await self._list_round(row["_id"], row["jurisdiction"], int(row["round"]))
            await self.rounds.delete_one({"_id": row["_id"]})
        # The rows' index on jurisdiction and round: nothing queries by them any more.
        with suppress(OperationFailure):  # absent: a database that never had the rows
            await self.rounds.drop_index(OLD_ROUNDS_INDEX)

    async def _list_unlisted_rounds(self) -> None:
        """One read of the whole collection, which the large documents make slow: done once."""
        projection = {"info.jurisdiction": 1, "info.round": 1}
        async for document in self.collection.find({}, projection):
            info = document.get("info")
            if info:
                await self._list_round(document["_id"], info["jurisdiction"], int(info["round"]))

    async def _list_round(self, assessment_id: str, jurisdiction: str, round_number: int) -> None:
        if assessment_id in self._listed:
            return
        await self.rounds.update_one(
            {"_id": round_id(jurisdiction, round_number)},
            {
                "$set": {"jurisdiction": jurisdiction, "round": round_number},
                "$addToSet": {"assessments": assessment_id},
            },
            upsert=True,
        )
        self._listed.add(assessment_id)
        if (known := self._rounds_read.get(round_id(jurisdiction, round_number))) is not None:
            known[1].add(assessment_id)

    async def load(self, assessment_id: str, *, cached: bool = False) -> ScoringState:
        if cached and (state := self._states.get(assessment_id)) is not None:
            self._states.move_to_end(assessment_id)
            return state
        document = await self.collection.find_one({"_id": assessment_id}, STATE_PROJECTION)
        if document is None:
            return ScoringState(assessment_id=assessment_id)
        state = state_from(document)
        if in_current_layout(document):
            self._remember(state)
        else:
            self._states.pop(assessment_id, None)
        return state

    def _remember(self, state: ScoringState) -> None:
        self._states[state.assessment_id] = state
        self._states.move_to_end(state.assessment_id)
        if len(self._states) > CACHED_STATES:
            self._states.popitem(last=False)

    async def load_results(self, assessment_id: str) -> Results | None:
        # The server still reads the whole document, but only the results travel and get decoded.
        projection = {"results": 1, "results_packed": 1}
        document = await self.collection.find_one({"_id": assessment_id}, projection)
        return results_from(document) if document else None

    async def save(
        self, state: ScoringState, expected_version: int, outbox: list[Document]
    ) -> bool:
        written = self._states.pop(state.assessment_id, None)
        as_stored = written if written is not None and written.version == expected_version else None
        if not await self._write(state, expected_version, outbox, as_stored):
            return False  # another writer moved the document on: the next load reads it
        self._remember(replace(state, version=expected_version + 1))
        return True

    async def _write(
        self,
        state: ScoringState,
        expected_version: int,
        outbox: list[Document],
        as_stored: ScoringState | None,
    ) -> bool:
        # A new document gets every field; an update only those that changed.
        fields = state_fields(state, as_stored if expected_version else None)
        if state.info is not None:
            # Listed before the state is written: a crash in between lists an assessment
            # whose state comes with the redelivered event; never a state that is unlisted.
            await self._list_round(state.assessment_id, state.info.jurisdiction, state.info.round)
        if expected_version == 0:
            document = {"_id": state.assessment_id, "version": 1, **fields}
            return await insert_with_outbox(self.collection, document, outbox, self._hints)
        change: Document = {"$inc": {"version": 1}, "$unset": OLD_FIELDS}
        if fields:  # MongoDB before 5.0 refuses an empty $set
            change["$set"] = fields
        query = {"_id": state.assessment_id, "version": expected_version}
        return await update_with_outbox(self.collection, query, change, outbox, self._hints)

    async def round_members(self, jurisdiction: str, round_number: int) -> list[str]:
        """Read at most every ROUNDS_FRESH_SECONDS per round: every new revision asks who
        follows its assessment (nearly always nobody), and rounds gain members rarely, years
        apart. Another replica's new member shows within that time; this process's at once."""
        key = round_id(jurisdiction, round_number)
        now = time.monotonic()
        known = self._rounds_read.get(key)
        if known is not None and now - known[0] < ROUNDS_FRESH_SECONDS:
            return sorted(known[1])
        document = await self.rounds.find_one({"_id": key})
        members = set(document["assessments"]) if document else set()
        self._rounds_read[key] = (now, members)
        return sorted(members)

    async def all_ids(self) -> list[str]:
        """A listing of every round's document: a full rescore is an admin's rare request."""
        cursor = self.rounds.find({}, {"assessments": 1})
        return sorted({aid async for document in cursor for aid in document["assessments"]})
