"""Assessments and their actor maps; status changes carry their event in the same write.

Counts are kept on the assessment document (`counts`), changed by the writes that change them,
so reading an assessment never counts its submissions or actors. Every write that changes
an assessment also sets `updated_at`, the order of the list of assessments.
"""

from datetime import UTC, datetime

from pymongo import ReturnDocument, UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, OperationFailure

from mgi_intake.domain.listing import SORT
from mgi_shared.coalescing import Coalescer, reads_by_id
from mgi_shared.mongo import Document
from mgi_shared.outbox import (
    OutboxHints,
    insert_with_outbox,
    update_with_outbox,
)

NO_COUNTS: Document = {"submissions": 0, "actors": 0, "reporting": []}
# What the list of assessments shows: the workflow history and bookkeeping stay behind.
SUMMARY_FIELDS: Document = {"outbox": 0, "status_history": 0, "fingerprint": 0,
                            "outbox_count": 0, "outbox_trimmed": 0, "outbox_sent_count": 0,
                            "outbox_pending": 0}  # fmt: skip


class AssessmentRepository:
    def __init__(self, db: AsyncDatabase[Document], hints: OutboxHints | None = None) -> None:
        self.collection = db.assessments
        self._hints = hints
        self._actors = db.actors
        self._counts = Coalescer(self._count_bulk)
        # Read by every submission: those handled at the same time read in one query.
        self._reads = reads_by_id(self.collection, {"outbox": 0})
        self._actor_reads = reads_by_id(self._actors, {"indicators": 1})

    async def get(self, assessment_id: str) -> Document | None:
        return await self._reads.submit(assessment_id)

    async def insert(self, document: Document, events: list[Document]) -> bool:
        """False when the id exists already (the caller compares bodies)."""
        counted = {**document, "counts": NO_COUNTS, "updated_at": document["created_at"]}
        return await insert_with_outbox(self.collection, counted, events, self._hints)

    async def move_status(
        self, assessment_id: str, current: str, new: Document, events: list[Document]
    ) -> bool:
        """Compare-and-set on the status, so two concurrent moves cannot both win."""
        change = {
            "$set": {"status": new["status"], "updated_at": new["at"]},
            "$push": {"status_history": new},
        }
        query = {"_id": assessment_id, "status": current}
        return await update_with_outbox(self.collection, query, change, events, self._hints)

    async def put_actor(self, assessment_id: str, actor_id: str, actor: Document) -> None:
        document = {"assessment_id": assessment_id, "actor_id": actor_id, **actor}
        result = await self._actors.replace_one(
            {"_id": actor_key(assessment_id, actor_id)}, document, upsert=True
        )
        if result.upserted_id is not None:
            # A crash just here leaves the actor uncounted; putting it again does not heal that
            # (it is no longer new), so the count may then be one low until recounted.
            await self.collection.update_one(
                {"_id": assessment_id},
                {"$inc": {"counts.actors": 1}, "$set": {"updated_at": datetime.now(UTC)}},
            )
        else:
            await self.collection.update_one(
                {"_id": assessment_id}, {"$set": {"updated_at": datetime.now(UTC)}}
            )

    async def actors(self, assessment_id: str) -> list[Document]:
        """The actor map, for an export (rare, admin tooling): MongoDB serves it from the
        `assessment_id` index; the local database ignores that index and scans `actors`,
        which is why nothing on a submission's path reads actors this way."""
        cursor = self._actors.find({"assessment_id": assessment_id}, {"_id": 0})
        return sorted(await cursor.to_list(None), key=lambda actor: str(actor["actor_id"]))

    async def count_submission(
        self, assessment_id: str, actor_id: str, received_at: datetime
    ) -> int:
        """Add one stored submission to the kept counts (the caller claims it first); the
        assessment's submission count after it, which places the submission in its history.
        Submissions counted at the same time are counted in one bulk write."""
        return await self._counts.submit((assessment_id, actor_id, received_at))

    async def _count_bulk(self, counted: list[tuple[str, str, datetime]]) -> list[int | Exception]:
        """Every assessment counted at once in one write, its total read back with it or, for
        several assessments, in one read after the bulk write: a write each
        (`find_one_and_update`, which answers with the total) was, at 100 submissions/s over as
        many assessments, a fifth of intake's CPU time; and under light load, when a batch
        holds one assessment, the bulk and its read were two round trips where one does.

        The total read back places this bulk's submissions last, in the order they were
        counted. When another writer counted the same assessment between the write and the
        read (another replica), the positions are a few too high: they only choose the
        history list a submission is filed in, and reading a history looks one list further
        (SubmissionRepository.listed). The counts themselves are exact either way."""
        by_assessment: dict[str, list[int]] = {}
        for index, (assessment_id, _, _) in enumerate(counted):
            by_assessment.setdefault(assessment_id, []).append(index)
        now = datetime.now(UTC)
        changes = {assessment_id: _counting(counted, indexes, now)
                   for assessment_id, indexes in by_assessment.items()}  # fmt: skip
        if len(changes) == 1:
            totals, failed = await self._count_one(*next(iter(changes.items())))
        else:
            totals, failed = await self._count_many(changes)
        positions: list[int | Exception] = [0] * len(counted)
        for assessment_id, indexes in by_assessment.items():
            total = totals.get(assessment_id, len(indexes))
            for offset, index in enumerate(indexes):  # in the order they were counted
                positions[index] = failed.get(assessment_id) or total - len(indexes) + 1 + offset
        return positions

    async def _count_one(
        self, assessment_id: str, change: Document
    ) -> tuple[dict[str, int], dict[str, Exception]]:
        try:
            kept = await self.collection.find_one_and_update(
                {"_id": assessment_id}, change, {"counts.submissions": 1},
                return_document=ReturnDocument.AFTER,
            )  # fmt: skip
        except OperationFailure as error:
            return {}, {assessment_id: error}
        return ({assessment_id: int(kept["counts"]["submissions"])} if kept else {}), {}

    async def _count_many(
        self, changes: dict[str, Document]
    ) -> tuple[dict[str, int], dict[str, Exception]]:
        ids = list(changes)
        failed: dict[str, Exception] = {}
        try:
            await self.collection.bulk_write(
                [UpdateOne({"_id": i}, change) for i, change in changes.items()], ordered=False
            )
        except BulkWriteError as error:  # one assessment's failed write fails only its own
            for failure in error.details.get("writeErrors", []):
                failed[ids[failure["index"]]] = OperationFailure(
                    failure.get("errmsg"), failure.get("code")
                )
        cursor = self.collection.find({"_id": {"$in": ids}}, {"counts.submissions": 1})
        return {d["_id"]: int(d["counts"]["submissions"]) async for d in cursor}, failed

    async def list_page(self, query: Document, limit: int) -> list[Document]:
        """Newest change first. On MongoDB the indexes of `prepare_storage` serve this; the
        local server scans the collection (about 1,000 small documents: measured in
        tests/integration/test_assessment_list.py)."""
        found = self.collection.find(query, SUMMARY_FIELDS).sort(SORT).limit(limit)
        return [document async for document in found]

    async def assigned(self, assessment_id: str, actor_id: str) -> frozenset[str] | None:
        """One actor's indicators, read by `_id`: on every submission, so never a scan."""
        actor = await self._actor_reads.submit(actor_key(assessment_id, actor_id))
        return frozenset(actor["indicators"]) if actor else None


def _counting(
    counted: list[tuple[str, str, datetime]], indexes: list[int], now: datetime
) -> Document:
    """The change that counts the submissions at `indexes` of `counted` into their assessment."""
    return {
        "$inc": {"counts.submissions": len(indexes)},
        "$addToSet": {"counts.reporting": {"$each": [counted[i][1] for i in indexes]}},
        "$set": {"updated_at": now},
        "$max": {"last_submission_at": max(counted[i][2] for i in indexes)},
    }


def actor_key(assessment_id: str, actor_id: str) -> str:
    return f"{assessment_id}/{actor_id}"
