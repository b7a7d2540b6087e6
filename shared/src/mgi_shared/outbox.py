"""Events stored on the same document as the change that caused them, then relayed to Kafka.

Without transactions (the local database has none), an event and its cause are
written in one single-document update: the document carries `outbox` (the entries not yet
trimmed, in order), `outbox_count` (entries ever appended), `outbox_trimmed`
(how many of those were dropped from the front), `outbox_sent_count` and
`outbox_pending`. The relay publishes entries past `outbox_sent_count`, then
marks them sent and drops them in one update that only matches if nothing was
appended meanwhile; the counters only grow, so that guard cannot be fooled by a
document that was emptied and refilled. A crash between the publish and the
mark publishes again; consumers drop the repeat by `event_id`.

The relay that publishes the entries is in mgi_shared.outbox_relay.
"""

import asyncio
import contextlib
from typing import Any

from opentelemetry import propagate
from pydantic import BaseModel
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from mgi_shared.mongo import Document


async def guard_index(collection: AsyncCollection[Document], field: str) -> None:
    """A unique index on (`_id`, `field`) for writes filtered on both, a compare-and-set.

    Unique because `_id` is. MongoDB serves such a filter by `_id` anyway; the local server
    (mongo-java-server) uses an index only when a filter names exactly its fields, so without
    this every compare-and-set would read the whole collection (25 ms at 10,000 documents,
    against 1 ms with it).
    """
    await collection.create_index(
        [("_id", ASCENDING), (field, ASCENDING)], unique=True, name=f"_id_{field}_guard"
    )


async def prepare_outbox(collection: AsyncCollection[Document]) -> None:
    """The indexes the relay's sweep and its guarded marks need; creating them again is a no-op."""
    await collection.create_index([("outbox_pending", ASCENDING)])
    await guard_index(collection, "outbox_count")
    await guard_index(collection, "outbox_sent_count")


def outbox_entry(topic: str, key: str | None, event: BaseModel) -> Document:
    """An entry to store, carrying the current trace context so the trace survives the wait."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return {
        "topic": topic,
        "key": key,
        "event": event.model_dump(mode="json"),
        "trace": carrier,
    }


def outbox_fields_for_insert(entries: list[Document]) -> Document:
    """Fields of a new document whose creation emits `entries`."""
    return {
        "outbox": entries,
        "outbox_count": len(entries),
        "outbox_trimmed": 0,
        "outbox_sent_count": 0,
        "outbox_pending": bool(entries),
    }


def outbox_append_update(entries: list[Document]) -> Document:
    """Update operators that emit `entries` in the same write as the change beside them."""
    return {
        "$push": {"outbox": {"$each": entries}},
        "$inc": {"outbox_count": len(entries)},
        "$set": {"outbox_pending": True},
    }


class OutboxHints:
    """Ids of documents a writer just gave outbox entries, so the relay need not search.

    The local database ignores secondary indexes, so the sweep's query reads the whole
    collection; with hints the relay reads only the documents named, by `_id`, and its
    sweep is left for what a crash (or a process without hints) left pending.
    """

    def __init__(self) -> None:
        # A dict as an ordered set: documents are relayed in the order they were written.
        self._ids: dict[Any, None] = {}
        self._wake = asyncio.Event()

    def notify(self, document_id: Any) -> None:
        """Call after the write that appended the entries has succeeded."""
        self._ids[document_id] = None
        self._wake.set()

    async def take(self, timeout: float, most: int = 500) -> list[Any]:
        """Up to `most` ids named since the last call, oldest first, waiting up to `timeout`
        seconds for one."""
        if not self._ids:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)
        ids = list(self._ids)[:most]
        for document_id in ids:
            del self._ids[document_id]
        if not self._ids:
            self._wake.clear()
        return ids


def notify(hints: OutboxHints | None, document_id: Any) -> None:
    if hints is not None:
        hints.notify(document_id)


async def insert_with_outbox(
    collection: AsyncCollection[Document],
    document: Document,
    entries: list[Document],
    hints: OutboxHints | None,
) -> bool:
    """Insert a new document that emits `entries`; False (nothing emitted) when its `_id` is
    taken, which is how a repeat or a race shows."""
    try:
        await collection.insert_one({**document, **outbox_fields_for_insert(entries)})
    except DuplicateKeyError:
        return False
    if entries:
        notify(hints, document["_id"])
    return True
