"""Deliveries in the service's database: stored before any attempt, claimed before a send.

Every read and guarded write names `_id` (with `version`, for which there is a guard index),
and the sender's sweep names only `pending` (indexed): the local database then reads the
documents it needs and not the whole collection. No transactions: each change is one
single-document compare-and-set on `version`.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from mgi_notifications.domain.deliveries import OPEN, Status
from mgi_notifications.domain.events import NotificationEvent
from mgi_shared.mongo import Document
from mgi_shared.outbox import guard_index

COLLECTION = "deliveries"
# Filters of GET /v1/deliveries, one index each: a query names one of them (see `find`).
LISTING_FIELDS = ("subscription_id", "assessment_id", "status")


def _now() -> datetime:
    return datetime.now(UTC)


class DeliveryStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._collection: AsyncCollection[Document] = db.get_collection(COLLECTION)

    async def prepare(self) -> None:
        await guard_index(self._collection, "version")
        await self._collection.create_index([("pending", ASCENDING)])
        for name in LISTING_FIELDS:
            await self._collection.create_index([(name, ASCENDING)])

    @staticmethod
    def new_document(
        delivery_id: str,
        subscription_id: str,
        channel: str,
        events: list[NotificationEvent],
        *,
        status: Status,
        due_at: float,
        trace: Mapping[str, str],
    ) -> Document:
        return {
            "_id": delivery_id,
            "subscription_id": subscription_id,
            "channel": channel,
            "assessment_id": events[0].assessment_id,
            "events": [e.model_dump(mode="json") for e in events],
            "event_ids": [e.event_id for e in events],
            "status": status.value,
            "pending": True,
            "due_at": due_at,
            "claimed_until": 0.0,
            "version": 1,
            "attempts": [],
            "created_at": _now(),
            "sent_at": None,
            "trace": dict(trace),
        }

    async def insert(self, document: Document) -> bool:
        """False when a delivery with this id exists already (a repeated event)."""
        try:
            await self._collection.insert_one(document)
        except DuplicateKeyError:
            return False
        return True

    async def get(self, delivery_id: str) -> Document | None:
        return await self._collection.find_one({"_id": delivery_id})

    async def replace_if(
        self, document: Document, sets: Document, unset: tuple[str, ...] = ()
    ) -> Document | None:
        """Set `sets` (and drop `unset`) only if nobody changed the delivery since `document`
        was read: the updated document, else None."""
        version = document["version"]
        update: dict[str, Any] = {"$set": {**sets, "version": version + 1}}
        if unset:
            update["$unset"] = dict.fromkeys(unset, "")
        result = await self._collection.update_one(
            {"_id": document["_id"], "version": version}, update
        )
        if result.modified_count != 1:
            return None
        updated = {**document, **sets, "version": version + 1}
        for field in unset:
            updated.pop(field, None)
        return updated

    async def append(self, digest: Document, event: NotificationEvent) -> bool:
        """Add an event to a digest still as read (a $push, so a burst of 500 events writes each
        once rather than the growing list each time); False if it changed meanwhile."""
        result = await self._collection.update_one(
            {"_id": digest["_id"], "version": digest["version"]},
            {
                "$push": {"events": event.model_dump(mode="json"), "event_ids": event.event_id},
                "$inc": {"version": 1},
            },
        )
        return result.modified_count == 1

    async def open_ids(self) -> list[tuple[str, float]]:
        """(id, next moment it needs the sender) of every delivery not yet sent or failed."""
        found: list[tuple[str, float]] = []
        async for document in self._collection.find(
            {"pending": True}, {"status": 1, "due_at": 1, "claimed_until": 1}
        ):
            if document.get("status") not in OPEN:
                continue
            when = document["due_at"]
            if document["status"] == Status.SENDING.value:
                when = document.get("claimed_until", 0.0)
            found.append((document["_id"], when))
        return found

    async def find(self, filters: Mapping[str, str], limit: int) -> list[Document]:
        """Newest first. The query names one indexed field; the others are checked here, so the
        local database reads one index's matches and not the whole collection."""
        given = {k: v for k, v in filters.items() if k in LISTING_FIELDS and v}
        query = dict([next(iter(given.items()))]) if given else {}
        documents = []
        async for document in self._collection.find(query).sort("created_at", DESCENDING):
            if all(document.get(k) == v for k, v in given.items()):
                documents.append(document)
                if len(documents) >= limit:
                    break
        return documents
