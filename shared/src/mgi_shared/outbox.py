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
                hinted = await self._hints.take(max(next_sweep - clock(), 0.0), self._batch)
                if hinted:
                    await self._relay_ids(hinted)
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
        # Ids only, then the documents in full once, by _relay_ids.
        cursor = self._collection.find({"outbox_pending": True}, {"_id": 1}).limit(self._batch)
        pending = [document["_id"] async for document in cursor]
        OUTBOX_PENDING.labels(self._service).set(len(pending))
        return await self._relay_ids(pending) if pending else 0

    async def _relay_ids(self, document_ids: list[Any]) -> int:
        """Publish the pending entries of these documents in the order given, waiting for the
        broker's acknowledgement of all of them at once, then mark each document sent."""
        projection = {"outbox": 1, "outbox_trimmed": 1, "outbox_sent_count": 1}
        query = {"_id": {"$in": document_ids}, "outbox_pending": True}
        found = {d["_id"]: d async for d in self._collection.find(query, projection)}
        documents = [found[i] for i in document_ids if i in found]
        acknowledgements = [
            await self._publish(entry) for document in documents for entry in _unsent(document)
        ]
        # Sent in order on one idempotent producer, so per partition they land in that order.
        # Every acknowledgement is awaited before any failure is raised: none is left unread.
        outcomes = await asyncio.gather(*acknowledgements, return_exceptions=True)
        failure = next((o for o in outcomes if isinstance(o, BaseException)), None)
        if failure is not None:
            raise failure
        marked = await asyncio.gather(*(self._mark_sent(document) for document in documents))
        return sum(marked)

    async def _mark_sent(self, document: Document) -> int:
        trimmed = int(document.get("outbox_trimmed", 0))
        sent = int(document.get("outbox_sent_count", 0))
        total = trimmed + len(document.get("outbox", []))
        # Published entries are dropped: documents would otherwise grow with every event.
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

    async def _publish(self, entry: Document) -> "asyncio.Future[Any]":
        """Hand the entry to the producer; the returned future is its acknowledgement."""
        parent: Any = propagate.extract(entry.get("trace") or {})
        token = otel_context.attach(parent)
        try:
            key = entry.get("key")
            acknowledgement = await self._broker.publish(
                json.dumps(entry["event"]).encode(),
                entry["topic"],
                key=key.encode() if key else None,
                headers={"content-type": "application/json"},
                no_confirm=True,
            )
        finally:
            otel_context.detach(token)
        OUTBOX_PUBLISHED.labels(self._service, entry["topic"]).inc()
        return acknowledgement


def _unsent(document: Document) -> list[Document]:
    entries: list[Document] = document.get("outbox", [])
    trimmed = int(document.get("outbox_trimmed", 0))
    sent = int(document.get("outbox_sent_count", 0))
    return entries[max(sent - trimmed, 0) :]
