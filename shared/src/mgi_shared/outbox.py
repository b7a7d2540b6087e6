"""Events stored on the same document as the change that caused them, then relayed to Kafka.

FerretDB has no transactions, so an event and its cause are written in one
single-document update: the document carries `outbox` (the entries not yet
trimmed, in order), `outbox_count` (entries ever appended), `outbox_trimmed`
(how many of those were dropped from the front), `outbox_sent_count` and
`outbox_pending`. The relay publishes entries past `outbox_sent_count`, then
marks them sent and drops them in one update that only matches if nothing was
appended meanwhile; the counters only grow, so that guard cannot be fooled by a
document that was emptied and refilled. A crash between the publish and the
mark publishes again; consumers drop the repeat by `event_id`.
"""

import asyncio
import contextlib
import json
import logging
from typing import Any

from faststream.kafka import KafkaBroker
from opentelemetry import context as otel_context
from opentelemetry import propagate
from pydantic import BaseModel
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from mgi_shared.metrics import OUTBOX_PENDING, OUTBOX_PUBLISHED
from mgi_shared.mongo import Document

logger = logging.getLogger(__name__)


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

    On FerretDB every query that is not by `_id` reads the whole collection; with
    hints the relay reads only the documents named, and its full sweep is left for
    what a crash (or a process without hints) left pending.
    """

    def __init__(self) -> None:
        # A dict as an ordered set: documents are relayed in the order they were written.
        self._ids: dict[Any, None] = {}
        self._wake = asyncio.Event()

    def notify(self, document_id: Any) -> None:
        """Call after the write that appended the entries has succeeded."""
        self._ids[document_id] = None
        self._wake.set()

    async def take(self, timeout: float) -> list[Any]:
        """The ids named since the last call, oldest first, waiting up to `timeout` seconds
        for one."""
        if not self._ids:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)
        self._wake.clear()
        ids, self._ids = list(self._ids), {}
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


class OutboxRelay:
    """Publishes one collection's pending entries in order: hinted documents at once, and
    everything pending on a sweep of the collection every `sweep_seconds`."""

    def __init__(
        self,
        collection: AsyncCollection[Document],
        broker: KafkaBroker,
        service: str,
        sweep_seconds: float,
        batch: int = 100,
        hints: OutboxHints | None = None,
    ) -> None:
        self._hints = hints or OutboxHints()
        self._collection = collection
        self._broker = broker
        self._service = service
        self._sweep_seconds = sweep_seconds
        self._batch = batch

    async def run_forever(self) -> None:
        clock = asyncio.get_running_loop().time
        next_sweep = clock()
        while True:
            try:
                for document_id in await self._hints.take(max(next_sweep - clock(), 0.0)):
                    await self._relay_id(document_id)
                if clock() >= next_sweep:
                    await self.relay_once()
                    next_sweep = clock() + self._sweep_seconds
            except asyncio.CancelledError:
                raise
            except Exception:
                # What was hinted is still pending in the database: the next sweep finds it.
                logger.exception("outbox relay pass failed; retrying", extra={})
                await asyncio.sleep(min(self._sweep_seconds, 1.0))

    async def relay_once(self) -> int:
        """One sweep of the collection: returns how many events were published."""
        published = 0
        pending = 0
        # Ids only: each document is read in full once, by _relay_id.
        cursor = self._collection.find({"outbox_pending": True}, {"_id": 1}).limit(self._batch)
        async for document in cursor:
            pending += 1
            published += await self._relay_id(document["_id"])
        OUTBOX_PENDING.labels(self._service).set(pending)
        return published

    async def _relay_id(self, document_id: Any) -> int:
        projection = {"outbox": 1, "outbox_trimmed": 1, "outbox_sent_count": 1}
        fresh = await self._collection.find_one(
            {"_id": document_id, "outbox_pending": True}, projection
        )
        return await self._relay_document(fresh) if fresh else 0

    async def _relay_document(self, document: Document) -> int:
        entries: list[Document] = document.get("outbox", [])
        trimmed = int(document.get("outbox_trimmed", 0))
        sent = int(document.get("outbox_sent_count", 0))
        total = trimmed + len(entries)
        for entry in entries[max(sent - trimmed, 0) :]:
            await self._publish(entry)
        # Published entries are dropped: documents would otherwise grow with every event,
        # and FerretDB reads whole documents even for the relay's scan.
        trim = {"outbox": [], "outbox_trimmed": total, "outbox_sent_count": total}
        done = await self._collection.update_one(
            {"_id": document["_id"], "outbox_count": total},
            {"$set": {**trim, "outbox_pending": False}},
        )
        if done.matched_count == 0:
            # New entries arrived meanwhile: record progress, leave it pending; the next pass trims.
            await self._collection.update_one(
                {"_id": document["_id"], "outbox_sent_count": {"$lt": total}},
                {"$set": {"outbox_sent_count": total}},
            )
        return max(total - sent, 0)

    async def _publish(self, entry: Document) -> None:
        parent: Any = propagate.extract(entry.get("trace") or {})
        token = otel_context.attach(parent)
        try:
            key = entry.get("key")
            await self._broker.publish(
                json.dumps(entry["event"]).encode(),
                entry["topic"],
                key=key.encode() if key else None,
                headers={"content-type": "application/json"},
            )
        finally:
            otel_context.detach(token)
        OUTBOX_PUBLISHED.labels(self._service, entry["topic"]).inc()
