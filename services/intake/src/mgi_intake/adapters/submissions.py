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

    async def mark_counted(self, submission_id: str) -> None:
        """Stored with `counted: False`; set once the assessment's counts include it."""
        await self.collection.update_one({"_id": submission_id}, {"$set": {"counted": True}})
