"""Deliveries in the service's database: stored before any attempt, claimed before a send.

Every read and guarded write names `_id` (with `version`, for which there is a guard index),
so the local database reads the one document it needs. No transactions: each change is one
single-document compare-and-set on `version`.

The sender's sweep must find the open deliveries (pending, collecting, sending) without
reading every delivery ever made (the local database would scan the whole collection for any
other filter). So each open delivery also has a small marker in `deliveries_open` (`_id` the
delivery's, `when` the moment it next needs the sender), and the sweep reads only those. The
marker is written before the delivery is created and dropped after it is sent or failed, so a
crash between the two writes leaves a marker too many, which the sweep finds stale and drops,
never a delivery without one.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, DeleteOne, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from mgi_notifications.domain.deliveries import Status
from mgi_notifications.domain.events import NotificationEvent
from mgi_shared.coalescing import Coalescer, insert_each, updates_each
from mgi_shared.mongo import Document
from mgi_shared.outbox import retire_guard_indexes

COLLECTION = "deliveries"
OPEN_COLLECTION = "deliveries_open"
# Filters of GET /v1/deliveries, one index each: a query names one of them (see `find`).
LISTING_FIELDS = ("subscription_id", "assessment_id", "status")


def _now() -> datetime:
    return datetime.now(UTC)


class DeliveryStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._collection: AsyncCollection[Document] = db.get_collection(COLLECTION)
        self._open: AsyncCollection[Document] = db.get_collection(OPEN_COLLECTION)
        # Deliveries stored, changed (a send's outcome), and markers dropped, at the same time:
        # one bulk command each.
        self._inserts = Coalescer(self._insert_bulk)
        self._replacements = Coalescer(self._replace_bulk)
        self._forgets = Coalescer(self._forget_bulk)

    async def prepare(self) -> None:
        await retire_guard_indexes(self._collection)
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
        claimed_until: float = 0.0,
    ) -> Document:
        return {
            "_id": delivery_id,
            "subscription_id": subscription_id,
            "channel": channel,
            "assessment_id": events[0].assessment_id,
            "events": [e.model_dump(mode="json") for e in events],
            "event_ids": [e.event_id for e in events],
            "status": status.value,
            "due_at": due_at,
            "claimed_until": claimed_until,
            "version": 1,
            "attempts": [],
            "created_at": _now(),
            "sent_at": None,
            "trace": dict(trace),
        }

    async def insert(self, document: Document) -> bool:
        """False when a delivery with this id exists already (a repeated event)."""
        return await self._inserts.submit(document)

    async def _insert_bulk(self, documents: list[Document]) -> list[bool | Exception]:
        """The markers first, then the deliveries (see the module's docstring)."""
        markers = []
        for document in documents:
            when = next_moment(document)
            assert when is not None, "a delivery is stored open"
            markers.append(_marker(document["_id"], when))
        await self._open.bulk_write(markers, ordered=False)
        return await insert_each(self._collection, documents)

    async def get(self, delivery_id: str) -> Document | None:
        return await self._collection.find_one({"_id": delivery_id})

    async def replace_if(
        self, document: Document, sets: Document, unset: tuple[str, ...] = ()
    ) -> Document | None:
        """Set `sets` (and drop `unset`) only if nobody changed the delivery since `document`
        was read: the updated document, else None."""
        updated = await self._replacements.submit((document, sets, unset))
        if updated is None:
            return None
        when = next_moment(updated)
        if when is None:
            await self.forget(updated["_id"])
        else:
            await self.remember(updated["_id"], when)
        return updated

    async def _replace_bulk(
        self, changes: list[tuple[Document, Document, tuple[str, ...]]]
    ) -> list[Document | None]:
        """Each change a compare-and-set on `version`, all in one bulk write (`updates_each`
        tells which were made)."""
        updates = []
        for document, sets, unset in changes:
            update: dict[str, Any] = {"$set": {**sets, "version": document["version"] + 1}}
            if unset:
                update["$unset"] = dict.fromkeys(unset, "")
            updates.append(({"_id": document["_id"], "version": document["version"]}, update))
        made = await updates_each(self._collection, updates, "changed_by")
        return [
            _changed(document, sets, unset) if was_made else None
            for was_made, (document, sets, unset) in zip(made, changes, strict=True)
        ]

    async def remember(self, delivery_id: str, when: float) -> None:
        await self._open.bulk_write([_marker(delivery_id, when)])

    async def forget(self, delivery_id: str) -> None:
        await self._forgets.submit(delivery_id)

    async def _forget_bulk(self, delivery_ids: list[str]) -> list[None]:
        await self._open.bulk_write([DeleteOne({"_id": i}) for i in delivery_ids], ordered=False)
        return [None] * len(delivery_ids)

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
        """(id, next moment it needs the sender) of every delivery not yet sent or failed,
        from the markers (few: only open deliveries have one)."""
        return [(m["_id"], float(m.get("when", 0.0))) async for m in self._open.find({})]

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


def _changed(document: Document, sets: Document, unset: tuple[str, ...]) -> Document:
    """The document as a compare-and-set of `sets` and `unset` left it."""
    changed = {**document, **sets, "version": document["version"] + 1}
    for field in unset:
        changed.pop(field, None)
    return changed


def _marker(delivery_id: str, when: float) -> UpdateOne:
    return UpdateOne({"_id": delivery_id}, {"$set": {"when": when}}, upsert=True)


def next_moment(document: Document) -> float | None:
    """When an open delivery next needs the sender; None once it is sent or failed."""
    status = document["status"]
    if status == Status.SENDING.value:
        return float(document.get("claimed_until", 0.0))
    if status in (Status.PENDING.value, Status.COLLECTING.value):
        return float(document["due_at"])
    return None
