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

    async def counts(self, assessment_id: str) -> tuple[int, int]:
        """(submissions, distinct actors that submitted); counted, so never out of step."""
        query = {"assessment_id": assessment_id}
        submissions = await self.collection.count_documents(query)
        actors = await self.collection.distinct("actor_id", query)
        return submissions, len(actors)
