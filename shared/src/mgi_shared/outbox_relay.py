"""The relay: publishes the outbox entries of one collection to Kafka, in order.

Writers hint at the documents they gave entries (mgi_shared.outbox.OutboxHints), mostly with
the outbox as their write left it; the relay reads only the others, hands all their entries to
the producer, waits for every acknowledgement, then marks each document sent and trims it. A
running relay marks in the background while it publishes the next batches: under load the marks
(one bulk write over the documents of a batch) took as long as the rest of a pass, and every
event waited for them. The documents delivered within MARK_GATHER_SECONDS are marked together:
under light load every batch holds one document, and its mark was a round trip and a database
write of its own. It remembers what was acknowledged, so the next batch never publishes an
entry again while its mark is on its way, and a document whose mark failed is marked by a
later pass. A sweep of the collection finds what a crash left (events delivered but not yet
marked are then published again; consumers drop repeats).

An entry that cannot be published (too large for the broker, or failing again and
again while other entries go through) is set aside: moved to the document's
`outbox_set_aside` list with its error, counted and logged, so it no longer holds
up the entries behind it. A broker outage fails every entry alike and sets none aside.
"""

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from datetime import datetime
from typing import Any

from aiokafka.errors import MessageSizeTooLargeError
from faststream.kafka import KafkaBroker
from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

from mgi_shared.assessment_context import about_assessment
from mgi_shared.kafka.publishing import publish_in_trace
from mgi_shared.metrics import (
    OUTBOX_OLDEST_UNSENT_SECONDS,
    OUTBOX_PENDING,
    OUTBOX_PUBLISHED,
    OUTBOX_SET_ASIDE,
)
from mgi_shared.mongo import Document
from mgi_shared.outbox import (
    OUTBOX_FIELDS,
    Hint,
    OutboxHints,
    entries_written,
    entry_field,
    entry_value,
)

logger = logging.getLogger(__name__)

# Before entries that failed to publish are tried again.
RETRY_PAUSE_SECONDS = 1.0

# Passes in which an entry failed while other entries were published, before it is set aside.
SET_ASIDE_AFTER_FAILURES = 3
# Errors no retry can mend.
UNPUBLISHABLE = (MessageSizeTooLargeError,)
# Documents whose progress the relay remembers (see `_progress`).
REMEMBERED_DOCUMENTS = 10_000
# How long a delivered document waits for others to be marked with (see the module's text).
MARK_GATHER_SECONDS = 0.2


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
        # (document id, entry number) -> passes in which that entry failed while others did not.
        self._failures: dict[tuple[Any, int], int] = {}
        # Documents whose entries failed in the last pass, to hint at again after a pause.
        self._left_pending: list[Any] = []
        # Document id -> entries of it the broker has acknowledged. A writer's snapshot (or a
        # read) may predate the mark of entries it shows, taken between their publish and their
        # mark: without this, they would be published twice.
        self._sent: OrderedDict[Any, int] = OrderedDict()
        # Delivered documents (the latest snapshot of each) whose mark is still to be written,
        # and the background task writing the marks, one bulk write at a time.
        self._to_mark: dict[Any, Document] = {}
        self._marking: asyncio.Task[None] | None = None
        self._mark_now = asyncio.Event()
        self._collection = collection
        self._broker = broker
        self._service = service
        self._sweep_seconds = sweep_seconds
        self._batch = batch
        # Document id -> when its oldest event that failed to publish occurred (epoch seconds).
        self._waiting_since: dict[Any, float] = {}
        OUTBOX_OLDEST_UNSENT_SECONDS.labels(service, collection.name).set_function(
            self.oldest_unsent_age
        )

    def oldest_unsent_age(self) -> float:
        """Seconds since the oldest event still waiting to be published occurred (at scrape)."""
        if not self._waiting_since:
            return 0.0
        return max(time.time() - min(self._waiting_since.values()), 0.0)

    async def run_forever(self) -> None:
        clock = asyncio.get_running_loop().time
        next_sweep = clock()
        while True:
            hinted: list[Hint] = []
            try:
                hinted = await self._hints.take(max(next_sweep - clock(), 0.0), self._batch)
                if hinted:
                    self._mark_in_background(await self._publish_pending(hinted))
                if self._left_pending:
                    # Tried again after a pause, without waiting for the (rare) sweep, read
                    # afresh.
                    await asyncio.sleep(RETRY_PAUSE_SECONDS)
                    for document_id in self._left_pending:
                        self._hints.notify(document_id)
                    self._left_pending = []
                if clock() >= next_sweep:
                    await self.relay_once()
                    next_sweep = clock() + self._sweep_seconds
            except asyncio.CancelledError:
                await self._finish_marking()
                raise
            except Exception:
                # What was hinted is still pending in the database: hinted again after a pause,
                # rather than left to the next (rare) sweep.
                logger.exception("outbox relay pass failed; retrying", extra={})
                self._left_pending.extend(hint.document_id for hint in hinted)
                await asyncio.sleep(min(self._sweep_seconds, RETRY_PAUSE_SECONDS))

    def _mark_in_background(self, delivered: list[Document]) -> None:
        """Have `delivered` marked within MARK_GATHER_SECONDS, with what else is delivered by
        then; one mark in flight at a time, so marks of one document never race each other."""
        for document in delivered:
            known = self._to_mark.get(document["_id"])
            if known is None or entries_written(document) >= entries_written(known):
                self._to_mark[document["_id"]] = document
        if self._to_mark and (self._marking is None or self._marking.done()):
            self._marking = asyncio.create_task(self._mark_gathered())

    async def _mark_gathered(self) -> None:
        """Mark what is waiting MARK_GATHER_SECONDS after it began to wait (at once when
        `_finish_marking` asks), until nothing is."""
        while self._to_mark:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._mark_now.wait(), MARK_GATHER_SECONDS)
            documents, self._to_mark = list(self._to_mark.values()), {}
            await self._mark_or_hint_again(documents)

    async def _finish_marking(self) -> None:
        """Write the marks still waiting now, and wait for them."""
        if self._marking is not None:
            self._mark_now.set()
            marking, self._marking = self._marking, None
            try:
                await asyncio.shield(marking)
            finally:
                self._mark_now.clear()

    async def _mark_or_hint_again(self, delivered: list[Document]) -> None:
        try:
            await self._mark_sent(delivered)
        except Exception:
            # Published but still pending in the database: hinted again after a pause, and
            # marked then (what the broker acknowledged is remembered, not sent again).
            logger.exception("outbox mark failed; retrying", extra={})
            await asyncio.sleep(RETRY_PAUSE_SECONDS)
            for document in delivered:
                self._hints.notify(document["_id"])

    async def relay_once(self) -> int:
        """One sweep of the collection: returns how many events were published."""
        # Ids only, then the documents in full once, by _relay.
        cursor = self._collection.find({"outbox_pending": True}, {"_id": 1}).limit(self._batch)
        pending = [Hint(document["_id"]) async for document in cursor]
        OUTBOX_PENDING.labels(self._service, self._collection.name).set(len(pending))
        return await self._relay(pending) if pending else 0

    async def _relay(self, hints: list[Hint]) -> int:
        """Publish the pending entries of these documents in the order given, waiting for the
        broker's acknowledgement of all of them at once, then mark each document sent."""
        await self._finish_marking()
        return await self._mark_sent(await self._publish_pending(hints))

    async def _publish_pending(self, hints: list[Hint]) -> list[Document]:
        """Publish as `_relay` does; returns the documents to mark: those whose entries all
        went out, and those pending with nothing left to send (their mark failed before)."""
        found: dict[Any, Document] = {}
        if to_read := [hint.document_id for hint in hints if hint.snapshot is None]:
            # By `_id` alone, which every server serves from its index.
            cursor = self._collection.find({"_id": {"$in": to_read}}, OUTBOX_FIELDS)
            found = {d["_id"]: d async for d in cursor}
        documents, delivered = [], []
        for hint in hints:
            document = hint.snapshot if hint.snapshot is not None else found.get(hint.document_id)
            if document is not None and document.get("outbox_pending"):
                document = self._progress(document)
                if _unsent(document):
                    documents.append(document)
                else:
                    delivered.append(document)
        # Sent in order on one idempotent producer, so per partition they land in that order.
        sent = [[await self._send(entry) for entry in _unsent(d)] for d in documents]
        outcomes = [await asyncio.gather(*acks, return_exceptions=True) for acks in sent]
        any_published = any(not _failed(o) for per_document in outcomes for o in per_document)
        for document, per_document in zip(documents, outcomes, strict=True):
            if not any(_failed(o) for o in per_document):
                self._forget_failures(document["_id"])
                self._waiting_since.pop(document["_id"], None)
                self._remember_sent(document["_id"], entries_written(document))
                delivered.append(document)
            elif not await self._set_aside_if_stuck(document, per_document, any_published):
                # Left pending: sent again after a pause (consumers drop repeats).
                self._left_pending.append(document["_id"])
                self._waiting_since.setdefault(document["_id"], _oldest_occurred(document))
                logger.warning("outbox entries failed to publish; will retry",
                               extra={"collection": self._collection.name})  # fmt: skip
            else:
                self._waiting_since.pop(document["_id"], None)  # set aside, no longer waiting
        return delivered

    def _progress(self, document: Document) -> Document:
        """The document with what the broker already acknowledged counted as sent."""
        sent = self._sent.get(document["_id"], 0)
        if sent <= int(document.get("outbox_sent_count", 0)):
            return document
        return {**document, "outbox_sent_count": sent}

    def _remember_sent(self, document_id: Any, total: int) -> None:
        self._sent[document_id] = max(total, self._sent.get(document_id, 0))
        self._sent.move_to_end(document_id)
        if len(self._sent) > REMEMBERED_DOCUMENTS:
            self._sent.popitem(last=False)

    def _forget_failures(self, document_id: Any) -> None:
        if self._failures:
            self._failures = {k: v for k, v in self._failures.items() if k[0] != document_id}

    async def _set_aside_if_stuck(
        self, document: Document, outcomes: list[Any], others_went_through: bool
    ) -> bool:
        """Set aside the failed entries of a document once they are clearly the entries'
        fault: unpublishable, or failing pass after pass while other entries go through."""
        entries = _unsent(document)
        first = _first_unsent_number(document)
        stuck: list[tuple[Document, BaseException]] = []
        for number, (entry, outcome) in enumerate(zip(entries, outcomes, strict=True), first):
            if not _failed(outcome):
                continue
            key = (document["_id"], number)
            if others_went_through:
                self._failures[key] = self._failures.get(key, 0) + 1
            if isinstance(outcome, UNPUBLISHABLE) or (
                self._failures.get(key, 0) >= SET_ASIDE_AFTER_FAILURES
            ):
                stuck.append((entry, outcome))
        if len(stuck) < sum(1 for o in outcomes if _failed(o)):
            return False  # some failure may still be the broker's: retry the document whole
        aside = [{**entry, "error": f"{type(error).__name__}: {error}"[:500]}
                 for entry, error in stuck]  # fmt: skip
        await self._collection.update_one(
            {"_id": document["_id"]}, {"$push": {"outbox_set_aside": {"$each": aside}}}
        )
        await self._mark_sent([document])
        for entry, error in stuck:
            OUTBOX_SET_ASIDE.labels(self._service, self._collection.name, entry["topic"]).inc()
            logger.error(
                "outbox entry set aside: it cannot be published",
                extra={"collection": self._collection.name, "topic": entry["topic"],
                       "event_id": entry_field(entry, "event_id"), "error": repr(error)[:300]},
            )  # fmt: skip
        self._forget_failures(document["_id"])
        return True

    async def _mark_sent(self, documents: list[Document]) -> int:
        """Mark these documents' entries sent and drop them; returns how many were newly marked.

        Every mark is a guarded write (on `outbox_count`), and all of them go in one bulk write:
        one command for a batch instead of one per document. When new entries arrived in some
        document meanwhile its mark matches nothing; the bulk result does not say which, so
        every document then gets its progress recorded, guarded by the count it was read with,
        which matches only where the mark did not (a marked document's count moved on).
        """
        if not documents:
            return 0
        marks, progress, newly_sent = [], [], 0
        for document in documents:
            sent = int(document.get("outbox_sent_count", 0))
            total = entries_written(document)
            # Published entries are dropped: documents would otherwise grow with every event.
            trim = {"outbox": [], "outbox_trimmed": total, "outbox_sent_count": total}
            marks.append(UpdateOne({"_id": document["_id"], "outbox_count": total},
                                   {"$set": {**trim, "outbox_pending": False}}))  # fmt: skip
            # Only from the count read: another pass may have moved it on meanwhile.
            progress.append(UpdateOne({"_id": document["_id"], "outbox_sent_count": sent},
                                       {"$set": {"outbox_sent_count": total}}))  # fmt: skip
            newly_sent += max(total - sent, 0)
        done = await self._collection.bulk_write(marks, ordered=False)
        if done.matched_count < len(marks):
            # Left pending with their progress recorded: the next pass trims them.
            await self._collection.bulk_write(progress, ordered=False)
        return newly_sent

    async def _send(self, entry: Document) -> "asyncio.Future[Any]":
        """Hand the entry to the producer; the returned future is its acknowledgement (or the
        error, when the producer refused it at once, e.g. for its size)."""
        try:
            return await self._publish(entry)
        except Exception as error:
            refused: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            refused.set_exception(error)
            return refused

    async def _publish(self, entry: Document) -> "asyncio.Future[Any]":
        key = entry.get("key")
        # In the trace of the change that stored the entry; the producer span carries the
        # assessment like its parent.
        with about_assessment(entry_field(entry, "assessment_id")):
            acknowledgement: asyncio.Future[Any] = await publish_in_trace(
                self._broker,
                entry_value(entry),
                entry["topic"],
                key=key.encode() if key else None,
                headers={"content-type": "application/json"},
                within=entry.get("trace") or {},
                no_confirm=True,
            )
        OUTBOX_PUBLISHED.labels(self._service, entry["topic"]).inc()
        return acknowledgement


def _oldest_occurred(document: Document) -> float:
    """When the document's first unsent event occurred; now, if it does not say."""
    for entry in _unsent(document)[:1]:
        with contextlib.suppress(KeyError, TypeError, ValueError):
            return datetime.fromisoformat(entry_field(entry, "occurred_at")).timestamp()
    return time.time()


def _unsent(document: Document) -> list[Document]:
    entries: list[Document] = document.get("outbox", [])
    trimmed = int(document.get("outbox_trimmed", 0))
    return entries[_first_unsent_number(document) - trimmed :]


def _first_unsent_number(document: Document) -> int:
    """Entries are numbered from the document's first ever: trimmed ones keep their number."""
    trimmed = int(document.get("outbox_trimmed", 0))
    return max(int(document.get("outbox_sent_count", 0)), trimmed)


def _failed(outcome: object) -> bool:
    return isinstance(outcome, BaseException)
