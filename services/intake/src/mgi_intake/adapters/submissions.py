"""Submissions, stored once by `submission_id` together with their accepted event."""

from pymongo.asynchronous.database import AsyncDatabase

from mgi_shared.mongo import Document
from mgi_shared.outbox import OutboxHints, insert_with_outbox


class SubmissionRepository:
    def __init__(self, db: AsyncDatabase[Document], hints: OutboxHints | None = None) -> None:
        self.collection = db.submissions
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
