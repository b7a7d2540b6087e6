"""Submissions, stored once by `submission_id` together with their accepted event.

Each assessment's submissions are also listed, by id and actor, on one small document in
`submission_lists` (`_id` = assessment id), so an assessment's history is read by `_id`
(one list, then each submission by `_id`) instead of by scanning every submission on the
local database, which uses no non-unique index.
"""

import asyncio

from pymongo.asynchronous.database import AsyncDatabase

from mgi_shared.mongo import Document
from mgi_shared.outbox import OutboxHints, insert_with_outbox

# The newest this many submissions of one assessment are listed (about 100 KB of ids); an
# assessment with more has its oldest ones left out of its history, never out of its results.
HISTORY_LIMIT = 2000
# Concurrent reads of one history: enough to hide round trips, few enough to share the pool.
READ_CONCURRENCY = 16


class SubmissionRepository:
    def __init__(self, db: AsyncDatabase[Document], hints: OutboxHints | None = None) -> None:
        self.collection = db.submissions
        self._lists = db.submission_lists
        self._hints = hints

    async def get(self, submission_id: str) -> Document | None:
        return await self.collection.find_one({"_id": submission_id}, {"outbox": 0})

    async def insert_once(self, document: Document, events: list[Document]) -> bool:
        """One insert holds the submission and its event; False when the id was taken."""
        return await insert_with_outbox(self.collection, document, events, self._hints)

    async def claim_for_counting(self, submission_id: str) -> bool:
        """Stored with `counted: False`; True for the one caller that flips it, so a submission
        is counted at most once however many copies race (a crash after the claim leaves it
        uncounted: the counts may then be one low, never one high)."""
        claimed = await self.collection.update_one(
            {"_id": submission_id, "counted": False}, {"$set": {"counted": True}}
        )
        return claimed.modified_count == 1

    async def remember(self, assessment_id: str, submission_id: str, actor_id: str) -> None:
        """List a counted submission in its assessment's history (once: the caller claimed
        it; a crash before this leaves it out of the history, like the counts)."""
        entry = {"id": submission_id, "actor": actor_id}
        await self._lists.update_one(
            {"_id": assessment_id},
            {"$push": {"entries": {"$each": [entry], "$slice": -HISTORY_LIMIT}}},
            upsert=True,
        )

    async def listed(self, assessment_id: str) -> list[Document]:
        """The assessment's history entries, `{"id", "actor"}`, oldest first."""
        found = await self._lists.find_one({"_id": assessment_id})
        return list(found["entries"]) if found else []

    async def get_many(self, submission_ids: list[str]) -> list[Document]:
        """Each by `_id` (the local database scans for `$in`), a few at a time."""
        gate = asyncio.Semaphore(READ_CONCURRENCY)

        async def one(submission_id: str) -> Document | None:
            async with gate:
                return await self.collection.find_one(
                    {"_id": submission_id}, {"outbox": 0, "raw": 0}
                )

        found = await asyncio.gather(*(one(i) for i in submission_ids))
        return [document for document in found if document is not None]
