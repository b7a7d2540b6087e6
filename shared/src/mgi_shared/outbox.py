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
import json
from dataclasses import dataclass
from typing import Any

from opentelemetry import propagate
from pydantic import BaseModel
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import OperationFailure

from mgi_shared.coalescing import insert_each
from mgi_shared.kafka.wire import event_bytes
from mgi_shared.mongo import Document, merge_updates


async def retire_guard_indexes(collection: AsyncCollection[Document]) -> None:
    """Drop the unique (`_id`, field) indexes that earlier versions created for their
    compare-and-set filters (`{_id, version}`), named `_id_<field>_guard`.

    MongoDB serves a filter naming `_id` by `_id`, and so does the local server's launcher
    (deploy/local/mongodb/DetachedH2Collection.java); kept, these indexes would only be
    updated by every write for nothing. Another replica dropping one first is no error."""
    async for spec in await collection.list_indexes():
        name = spec["name"]
        if name.startswith("_id_") and name.endswith("_guard"):
            with contextlib.suppress(OperationFailure):
                await collection.drop_index(name)


async def prepare_outbox(collection: AsyncCollection[Document]) -> None:
    """The index the relay's sweep needs; creating it again is a no-op."""
    await collection.create_index([("outbox_pending", ASCENDING)])
    await retire_guard_indexes(collection)


def outbox_entry(topic: str, key: str | None, event: BaseModel) -> Document:
    """An entry to store, carrying the current trace context so the trace survives the wait.

    The event is stored as the bytes the relay will publish (UTF-8 JSON, encoded once, here),
    beside the few of its fields the relay reads. Stored as a nested document it was decoded,
    copied, compared and encoded again by the database on every later update of the document
    (a submission's accepted event carries all its answers), and encoded to JSON by the relay."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    occurred_at = getattr(event, "occurred_at", None)
    return {
        "topic": topic,
        "key": key,
        "value": event.model_dump_json().encode(),
        "event_id": str(getattr(event, "event_id", "")) or None,
        "assessment_id": getattr(event, "assessment_id", None),
        "occurred_at": occurred_at.isoformat() if occurred_at is not None else None,
        "trace": carrier,
    }


def entry_value(entry: Document) -> bytes:
    """The record value an entry publishes (entries stored before `value` hold the event)."""
    value = entry.get("value")
    return bytes(value) if value is not None else event_bytes(entry["event"])


def entry_field(entry: Document, name: str) -> Any:
    """`event_id`, `assessment_id` or `occurred_at` of the entry's event."""
    if "value" in entry:
        return entry.get(name)
    return (entry.get("event") or {}).get(name)


def entry_event(entry: Document) -> dict[str, Any]:
    """The entry's event as a consumer will read it (for tests and tools)."""
    event: dict[str, Any] = json.loads(entry_value(entry))
    return event


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


# What the relay needs of a document: its entries and how far they were sent.
OUTBOX_FIELDS = {"outbox": 1, "outbox_pending": 1, "outbox_trimmed": 1, "outbox_sent_count": 1}


@dataclass(frozen=True)
class Hint:
    """A document with new entries, and (when the writer has it) its outbox fields as the
    write left them, so the relay need not read the document back."""

    document_id: Any
    snapshot: Document | None = None


def entries_written(snapshot: Document | None) -> int:
    """How many entries the document had ever been given when the snapshot was taken."""
    if snapshot is None:
        return 0
    return int(snapshot.get("outbox_trimmed", 0)) + len(snapshot.get("outbox", []))


class OutboxHints:
    """Documents a writer just gave outbox entries, so the relay need not search.

    The local database ignores secondary indexes, so the sweep's query reads the whole
    collection; with hints the relay reads only the documents named, by `_id`, and its
    sweep is left for what a crash (or a process without hints) left pending.
    """

    def __init__(self) -> None:
        # A dict as an ordered set: documents are relayed in the order they were written.
        self._hints: dict[Any, Document | None] = {}
        self._wake = asyncio.Event()

    def notify(self, document_id: Any, snapshot: Document | None = None) -> None:
        """Call after the write that appended the entries has succeeded. Of two snapshots of
        one document the later write's is kept (writers may notify out of order); without
        one, the relay reads the document, which is never older than any snapshot."""
        if document_id in self._hints:
            kept = self._hints[document_id]
            if kept is None or snapshot is None:
                snapshot = None
            elif entries_written(kept) > entries_written(snapshot):
                snapshot = kept
        self._hints[document_id] = snapshot
        self._wake.set()

    async def take(self, timeout: float, most: int = 500) -> list[Hint]:
        """Up to `most` documents named since the last call, oldest first, waiting up to
        `timeout` seconds for one."""
        if not self._hints:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)
        taken = [Hint(i, snapshot) for i, snapshot in list(self._hints.items())[:most]]
        for hint in taken:
            del self._hints[hint.document_id]
        if not self._hints:
            self._wake.clear()
        return taken


def notify(hints: OutboxHints | None, document_id: Any, snapshot: Document | None = None) -> None:
    if hints is not None:
        hints.notify(document_id, snapshot)


async def insert_with_outbox(
    collection: AsyncCollection[Document],
    document: Document,
    entries: list[Document],
    hints: OutboxHints | None,
) -> bool:
    """Insert a new document that emits `entries`; False (nothing emitted) when its `_id` is
    taken, which is how a repeat or a race shows."""
    [outcome] = await insert_many_with_outbox(collection, [(document, entries)], hints)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


async def insert_many_with_outbox(
    collection: AsyncCollection[Document],
    documents: list[tuple[Document, list[Document]]],
    hints: OutboxHints | None,
) -> list[bool | Exception]:
    """`insert_with_outbox` for many (document, entries) at once, in one unordered command:
    for each, True if inserted, False if its `_id` was taken, or the error it met."""
    prepared = [(document, outbox_fields_for_insert(entries)) for document, entries in documents]
    outcomes = await insert_each(collection, [{**d, **outbox} for d, outbox in prepared])
    for (document, outbox), outcome in zip(prepared, outcomes, strict=True):
        if outcome is True and outbox["outbox"]:
            notify(hints, document["_id"], {"_id": document["_id"], **outbox})
    return outcomes


async def update_with_outbox(
    collection: AsyncCollection[Document],
    query: Document,
    change: Document,
    entries: list[Document],
    hints: OutboxHints | None,
) -> bool:
    """Apply `change` (update operators) to the one document `query` matches, appending
    `entries` to its outbox in the same write; False when no document matches.

    The write answers with the outbox's counters only: the entries it appended can be tens of
    kilobytes (scoring's results), and sending them back to the writer that holds them cost
    both sides more than the write itself. When they are the document's only unsent entries,
    which is the usual case, the relay gets them with the hint and reads nothing back."""
    update = merge_updates(change, outbox_append_update(entries)) if entries else change
    if not entries:
        return (await collection.update_one(query, update)).matched_count == 1
    after = await collection.find_one_and_update(
        query, update, projection=OUTBOX_COUNTERS, return_document=ReturnDocument.AFTER
    )
    if after is None:
        return False
    notify(hints, after["_id"], _snapshot_after_append(after, entries))
    return True


# What the writer of entries asks back: enough to tell whether they are all that is unsent.
OUTBOX_COUNTERS = {"outbox_count": 1, "outbox_trimmed": 1, "outbox_sent_count": 1}


def _snapshot_after_append(after: Document, entries: list[Document]) -> Document | None:
    """The outbox fields as the append left them, when they follow from the counters: the
    stored list holds the entries from `outbox_trimmed` to `outbox_count` (the relay empties
    it in the same write that moves `outbox_trimmed` up), so if that span is just `entries`
    and none of it was sent, the list is `entries`. Otherwise None: the relay reads it."""
    count = int(after.get("outbox_count", 0))
    trimmed = int(after.get("outbox_trimmed", 0))
    sent = int(after.get("outbox_sent_count", 0))
    if count - trimmed != len(entries) or sent != trimmed:
        return None
    return {
        "_id": after["_id"],
        "outbox": entries,
        "outbox_count": count,
        "outbox_trimmed": trimmed,
        "outbox_sent_count": sent,
        "outbox_pending": True,
    }
