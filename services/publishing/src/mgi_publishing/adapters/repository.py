"""Publishing's state per assessment in `mgi_publishing.assessments`, one document each.

Every write is a compare-and-set on `version` (unique guard index on `_id` + `version`, so the
local database serves it by index) and carries the publication event in the same
single-document write (the outbox), together with the attempts it records. Reads are by `_id`.
"""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from mgi_publishing.domain.attempts import KEPT_ATTEMPTS, Attempt
from mgi_publishing.domain.state import AssessmentInfo, PublishingState
from mgi_shared.coalescing import reads_by_id
from mgi_shared.contracts.payloads import AssessmentStatus
from mgi_shared.mongo import Document
from mgi_shared.outbox import (
    OutboxHints,
    insert_with_outbox,
    prepare_outbox,
    update_with_outbox,
)

COLLECTION = "assessments"


class MongoPublishingRepository:
    def __init__(self, db: AsyncDatabase[Document], hints: OutboxHints | None = None) -> None:
        self.collection: AsyncCollection[Document] = db.get_collection(COLLECTION)
        self._hints = hints
        # Read for every results event: those handled at the same time read in one query.
        self._reads = reads_by_id(self.collection, {"outbox": 0, "attempts": 0})

    async def prepare_storage(self) -> None:
        await prepare_outbox(self.collection)

    async def load(self, assessment_id: str) -> PublishingState:
        document = await self._reads.submit(assessment_id)
        if document is None:
            return PublishingState(assessment_id)
        return _state(document)

    async def save(
        self,
        state: PublishingState,
        expected_version: int,
        attempts: list[Attempt],
        outbox: list[Document],
    ) -> bool:
        """Write `state` (at version `expected_version` + 1) with the attempts and events, only
        if nobody wrote since `expected_version` was read; False when someone did."""
        fields = {**_fields(state), "version": expected_version + 1}
        recorded = [a.model_dump(mode="json") for a in attempts]
        if expected_version == 0:
            return await insert_with_outbox(
                self.collection,
                {"_id": state.assessment_id, **fields, "attempts": recorded},
                outbox,
                self._hints,
            )
        change: dict[str, Any] = {"$set": fields}
        if recorded:
            change["$push"] = {"attempts": {"$each": recorded, "$slice": -KEPT_ATTEMPTS}}
        query = {"_id": state.assessment_id, "version": expected_version}
        return await update_with_outbox(self.collection, query, change, outbox, self._hints)

    async def attempts(self, assessment_id: str) -> tuple[PublishingState, list[Attempt]] | None:
        document = await self.collection.find_one({"_id": assessment_id}, {"outbox": 0})
        if document is None:
            return None
        return _state(document), [Attempt.model_validate(a) for a in document.get("attempts", [])]

    async def published_ids(self) -> list[str]:
        """Every assessment with a profile on the portal, for a resync. Reads the whole
        collection on the local database: an operator's rare command, not a hot path."""
        cursor = self.collection.find({"published_revision": {"$ne": None}}, {"_id": 1})
        return sorted([document["_id"] async for document in cursor])


def _fields(state: PublishingState) -> Document:
    return {
        "status": state.status.value if state.status else None,
        "info": state.info.model_dump(mode="json") if state.info else None,
        "latest_revision": state.latest_revision,
        "concluded_revision": state.concluded_revision,
        "published_revision": state.published_revision,
        "seen_events": list(state.seen_events),
        "pending_revision": state.pending_revision,
        "pending_at": state.pending_at,
    }


def _state(document: Document) -> PublishingState:
    status = document.get("status")
    info = document.get("info")
    return PublishingState(
        assessment_id=document["_id"],
        version=int(document.get("version", 0)),
        status=AssessmentStatus(status) if status else None,
        info=AssessmentInfo.model_validate(info) if info else None,
        latest_revision=int(document.get("latest_revision", 0)),
        concluded_revision=document.get("concluded_revision"),
        published_revision=document.get("published_revision"),
        seen_events=tuple(document.get("seen_events", [])),
        pending_revision=document.get("pending_revision"),
        pending_at=document.get("pending_at"),
    )
