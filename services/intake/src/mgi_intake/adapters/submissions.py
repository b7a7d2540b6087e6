"""Submissions, stored once by `submission_id` together with their accepted event.

Each assessment's submissions are also listed, by id and actor, in `submission_lists`:
the n-th counted submission goes to the document `<assessment id>/<(n - 1) // 250>`, so an
assessment's history is read by `_id` (its newest lists, then their submissions) instead of by
scanning every submission on the local database, which uses no non-unique index; and each
list stays small, so adding to it costs the same however many submissions came before (one
growing list would be rewritten whole by every submission: 4 ms each at 2,000 entries).

The writes of a submission's path (insert, claim, listing) go out in bulk with those of the
submissions handled at the same time (mgi_shared.coalescing): one command each per bulk
instead of one per submission.
"""

import asyncio

from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase

from mgi_shared.coalescing import Coalescer, updates_each
from mgi_shared.mongo import Document
from mgi_shared.outbox import OutboxHints, insert_many_with_outbox

LIST_SIZE = 250
# A history shows an assessment's newest this many submissions (older ones stay listed, and
# count in its results).
HISTORY_LIMIT = 2000


class SubmissionRepository:
    def __init__(self, db: AsyncDatabase[Document], hints: OutboxHints | None = None) -> None:
        self.collection = db.submissions
        self._lists = db.submission_lists
        self._hints = hints
        self._inserts = Coalescer(self._insert_bulk)
        self._claims = Coalescer(self._claim_bulk)
        self._listings = Coalescer(self._list_bulk)

    async def get(self, submission_id: str) -> Document | None:
        return await self.collection.find_one({"_id": submission_id}, {"outbox": 0})

    async def insert_once(self, document: Document, events: list[Document]) -> bool:
        """One insert holds the submission and its event; False when the id was taken."""
        return await self._inserts.submit((document, events))

    async def _insert_bulk(
        self, documents: list[tuple[Document, list[Document]]]
    ) -> list[bool | Exception]:
        return await insert_many_with_outbox(self.collection, documents, self._hints)

    async def claim_for_counting(self, submission_id: str) -> bool:
        """Stored with `counted: False`; True for the one caller that flips it, so a submission
        is counted at most once however many copies race (a crash after the claim leaves it
        uncounted: the counts may then be one low, never one high)."""
        return await self._claims.submit(submission_id)

    async def _claim_bulk(self, submission_ids: list[str]) -> list[bool]:
        distinct = list(dict.fromkeys(submission_ids))  # two copies in one bulk: one claim
        flips = [({"_id": i, "counted": False}, {"$set": {"counted": True}}) for i in distinct]
        made = await updates_each(self.collection, flips, "claimed_by")
        ours = {i for i, flipped in zip(distinct, made, strict=True) if flipped}
        outcomes = []
        for submission_id in submission_ids:
            outcomes.append(submission_id in ours)
            ours.discard(submission_id)  # the copy after it in this bulk claimed nothing
        return outcomes

    async def remember(
        self, assessment_id: str, submission_id: str, actor_id: str, position: int
    ) -> None:
        """List a counted submission, the `position`-th of its assessment, in its history
        (once: the caller claimed it; a crash before this leaves it out, like the counts)."""
        entry = {"id": submission_id, "actor": actor_id}
        await self._listings.submit((list_id(assessment_id, (position - 1) // LIST_SIZE), entry))

    async def _list_bulk(self, entries: list[tuple[str, Document]]) -> list[None]:
        by_list: dict[str, list[Document]] = {}
        for listing, entry in entries:
            by_list.setdefault(listing, []).append(entry)
        pushes = [UpdateOne({"_id": listing}, {"$push": {"entries": {"$each": added}}}, upsert=True)
                  for listing, added in by_list.items()]  # fmt: skip
        await self._lists.bulk_write(pushes, ordered=False)
        return [None] * len(entries)

    async def listed(self, assessment_id: str, total: int) -> list[Document]:
        """The newest entries (`{"id", "actor"}`, up to HISTORY_LIMIT) of an assessment with
        `total` counted submissions, oldest first. Reads one list past the last that `total`
        implies, in case the count ran one low after a crash."""
        newest = max(total - 1, 0) // LIST_SIZE + 1
        oldest = max(newest - HISTORY_LIMIT // LIST_SIZE - 1, 0)
        found = await asyncio.gather(*(self._lists.find_one({"_id": list_id(assessment_id, n)})
                                       for n in range(oldest, newest + 1)))  # fmt: skip
        entries = [entry for document in found if document for entry in document["entries"]]
        return entries[-HISTORY_LIMIT:]

    async def get_many(self, submission_ids: list[str]) -> list[Document]:
        """By `_id`, one `$in` query per LIST_SIZE ids (the `_id` index serves `$in`, on the
        local database too)."""
        found: list[Document] = []
        for start in range(0, len(submission_ids), LIST_SIZE):
            chunk = submission_ids[start : start + LIST_SIZE]
            cursor = self.collection.find({"_id": {"$in": chunk}}, {"outbox": 0, "raw": 0})
            found.extend(await cursor.to_list(None))
        return found


def list_id(assessment_id: str, number: int) -> str:
    """Assessment ids hold no `/`, so this never names another assessment's list."""
    return f"{assessment_id}/{number}"
