"""The outbox relay against the real broker and database: published entries are trimmed from
the document, an entry appended while the relay publishes is neither lost nor trimmed, a
running relay publishes what writers hint at without sweeping the collection, what a failed
publish left pending goes out once the broker is back, an unpublishable entry is set aside without
holding up the rest, events go out in UTF-8, a running relay publishes while it marks, documents
delivered one by one are marked in one write, and a failed mark is made later without publishing
again."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import pytest
from faststream.kafka import KafkaBroker
from pydantic import BaseModel
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import ConnectionFailure

from mgi_shared import outbox_relay
from mgi_shared.mongo import Document, make_mongo_client
from mgi_shared.outbox import (
    Hint,
    OutboxHints,
    insert_with_outbox,
    outbox_append_update,
    outbox_entry,
    outbox_fields_for_insert,
    prepare_outbox,
    update_with_outbox,
)
from mgi_shared.outbox_relay import OutboxRelay
from mgi_shared.testing.commands import Commands, unindexed_filters
from mgi_shared.testing.kafka import create_topics, eventually, json_values, read_records

pytestmark = pytest.mark.integration


class Note(BaseModel):
    event_id: str
    text: str = ""


def entry(topic: str, text: str = "") -> Document:
    return outbox_entry(topic, "doc", Note(event_id=str(uuid4()), text=text))


class FailedPasses(logging.Handler):
    """Counts the relay's passes that left entries pending after a failed publish."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("outbox entries failed to publish"):
            self.count += 1


@dataclass(frozen=True)
class Parts:
    topic: str  # a fresh one-partition topic
    collection: AsyncCollection[Document]  # a fresh collection
    broker: KafkaBroker


@pytest.fixture
async def parts(infra) -> AsyncIterator[Parts]:  # type: ignore[no-untyped-def]
    topic = f"mgi.test.outbox-{uuid4().hex[:8]}.v1"
    await create_topics(infra.kafka, [topic], 1)
    client = make_mongo_client(infra.mongodb_url)
    collection = client.get_database("mgi_test").get_collection(f"outbox_{uuid4().hex[:8]}")
    broker = KafkaBroker(infra.kafka)
    await broker.start()
    yield Parts(topic, collection, broker)
    await broker.stop()
    await collection.drop()
    await client.close()


@dataclass(frozen=True)
class Watched:
    """The test's collection through a client that records every command, with a relay."""

    collection: AsyncCollection[Document]
    commands: Commands
    hints: OutboxHints
    relay: OutboxRelay


@pytest.fixture
async def watched(infra, parts: Parts) -> AsyncIterator[Watched]:  # type: ignore[no-untyped-def]
    commands = Commands()
    client: AsyncMongoClient[Document] = AsyncMongoClient(infra.mongodb_url,
                                                          event_listeners=[commands])  # fmt: skip
    collection = client.get_database("mgi_test").get_collection(parts.collection.name)
    hints = OutboxHints()
    relay = OutboxRelay(collection, parts.broker, "test", sweep_seconds=3600, hints=hints)
    await prepare_outbox(collection)
    yield Watched(collection, commands, hints, relay)
    await client.close()


@asynccontextmanager
async def relay_running(relay: OutboxRelay) -> AsyncIterator[None]:
    running = asyncio.create_task(relay.run_forever())
    try:
        yield
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)


async def relayed(collection: AsyncCollection[Document], document_id: str) -> bool:
    document = await collection.find_one({"_id": document_id})
    return document is not None and document["outbox_pending"] is False


class AppendingWhilePublishing(OutboxRelay):
    """A writer appends to the document just after the relay's first publish."""

    late_entry: Document | None = None

    async def _publish(self, item: Document) -> "asyncio.Future[Any]":
        acknowledgement = await super()._publish(item)
        if self.late_entry is not None:
            late, self.late_entry = self.late_entry, None
            await self._collection.update_one({"_id": "doc"}, outbox_append_update([late]))
        return acknowledgement


async def test_relay_trims_what_it_published_and_keeps_what_arrived_meanwhile(
    infra,  # type: ignore[no-untyped-def]
    parts: Parts,
) -> None:
    topic, collection = parts.topic, parts.collection
    first, second, late = entry(topic), entry(topic), entry(topic)
    await collection.insert_one({"_id": "doc", **outbox_fields_for_insert([first, second])})
    relay = AppendingWhilePublishing(collection, parts.broker, "test", 0.05)
    relay.late_entry = late

    assert await relay.relay_once() == 2
    kept = await collection.find_one({"_id": "doc"})
    assert kept is not None
    assert (kept["outbox_pending"], kept["outbox_sent_count"]) == (True, 2)
    assert [e["value"] for e in kept["outbox"]] == [
        first["value"],
        second["value"],
        late["value"],
    ]

    assert await relay.relay_once() == 1
    assert await relay.relay_once() == 0
    trimmed = await collection.find_one({"_id": "doc"})
    assert trimmed is not None
    assert (trimmed["outbox"], trimmed["outbox_pending"]) == ([], False)
    assert (
        trimmed["outbox_count"],
        trimmed["outbox_trimmed"],
        trimmed["outbox_sent_count"],
    ) == (3, 3, 3)

    # Appending after a trim carries on from the counters.
    fourth = entry(topic)
    await collection.update_one({"_id": "doc"}, outbox_append_update([fourth]))
    assert await relay.relay_once() == 1
    records = await read_records(infra.kafka, topic, lambda r: len(r) >= 4, 30)
    published = [value["event_id"] for value in json_values(records)]
    expected = [e["event_id"] for e in (first, second, late, fourth)]
    assert published == expected


async def test_a_running_relay_publishes_hinted_documents_and_leaves_the_rest_to_its_sweep(
    parts: Parts,
) -> None:
    topic, collection = parts.topic, parts.collection
    hints = OutboxHints()
    # A sweep is due only at start: after that, only hints bring documents to the relay.
    relay = OutboxRelay(collection, parts.broker, "test", sweep_seconds=3600, hints=hints)
    await collection.insert_one({"_id": "early", **outbox_fields_for_insert([entry(topic)])})
    async with relay_running(relay):
        # The start-up sweep is over.
        await eventually(lambda: relayed(collection, "early"), timeout=30)
        await collection.insert_one({"_id": "quiet", **outbox_fields_for_insert([entry(topic)])})
        await collection.insert_one({"_id": "loud", **outbox_fields_for_insert([entry(topic)])})
        hints.notify("loud")
        await eventually(lambda: relayed(collection, "loud"), timeout=30)
        assert not await relayed(collection, "quiet")
        assert await relay.relay_once() == 1  # what a sweep finds
        assert await relayed(collection, "quiet")


async def test_entries_a_failed_publish_left_go_out_once_the_broker_is_back(
    infra,  # type: ignore[no-untyped-def]
    parts: Parts,
) -> None:
    collection = parts.collection
    broker = KafkaBroker(infra.kafka)  # not connected yet: every publish fails
    hints = OutboxHints()
    # No sweep after the one at start: the relay itself tries the failed document again.
    relay = OutboxRelay(collection, broker, "test", sweep_seconds=3600, hints=hints)
    failed_passes = FailedPasses()
    logging.getLogger("mgi_shared.outbox_relay").addHandler(failed_passes)
    try:
        async with relay_running(relay):
            await collection.insert_one(
                {"_id": "doc", **outbox_fields_for_insert([entry(parts.topic)])}
            )
            hints.notify("doc")
            # More failing passes than set an entry aside: a broker outage must not.
            await eventually(lambda: failed_passes.count > 4, timeout=30)
            stored = await collection.find_one({"_id": "doc"})
            assert stored is not None and stored["outbox_pending"] is True
            assert relay.oldest_unsent_age() > 0  # mgi_outbox_oldest_unsent_age_seconds
            await broker.start()  # the broker is back
            await eventually(lambda: relayed(collection, "doc"), timeout=30)
            assert relay.oldest_unsent_age() == 0
    finally:
        logging.getLogger("mgi_shared.outbox_relay").removeHandler(failed_passes)
        await broker.stop()
    records = await read_records(infra.kafka, parts.topic, lambda r: len(r) >= 1, 30)
    assert len(records) == 1
    stored = await collection.find_one({"_id": "doc"})
    assert stored is not None and "outbox_set_aside" not in stored


async def test_an_unpublishable_entry_is_set_aside_and_the_rest_still_go_out(
    infra,  # type: ignore[no-untyped-def]
    parts: Parts,
) -> None:
    topic, collection = parts.topic, parts.collection
    too_large = entry(topic, "x" * 1_200_000)  # over the producer's 1 MiB request limit
    fine, later = entry(topic), entry(topic)
    await collection.insert_one({"_id": "big", **outbox_fields_for_insert([too_large])})
    await collection.insert_one({"_id": "fine", **outbox_fields_for_insert([fine])})
    relay = OutboxRelay(collection, parts.broker, "test", 0.05)
    assert await relay.relay_once() == 1
    big = await collection.find_one({"_id": "big"})
    assert big is not None and big["outbox_pending"] is False
    assert [e["event_id"] for e in big["outbox_set_aside"]] == [too_large["event_id"]]
    assert "MessageSizeTooLarge" in big["outbox_set_aside"][0]["error"]
    # The document's later entries are not held up.
    await collection.update_one({"_id": "big"}, outbox_append_update([later]))
    assert await relay.relay_once() == 1
    records = await read_records(infra.kafka, topic, lambda r: len(r) >= 2, 30)
    assert [v["event_id"] for v in json_values(records)] == [
        fine["event_id"],
        later["event_id"],
    ]


async def test_events_go_out_as_utf8_not_escaped(infra, parts: Parts) -> None:  # type: ignore[no-untyped-def]
    arabic = "حقوق المهاجرين"
    await parts.collection.insert_one(
        {"_id": "doc", **outbox_fields_for_insert([entry(parts.topic, arabic)])}
    )
    assert await OutboxRelay(parts.collection, parts.broker, "test", 0.05).relay_once() == 1
    records = await read_records(infra.kafka, parts.topic, lambda r: len(r) >= 1, 30)
    assert arabic.encode() in records[0].value
    assert b"\\u" not in records[0].value


async def test_entries_stored_before_the_value_field_still_go_out(infra, parts: Parts) -> None:  # type: ignore[no-untyped-def]
    """An entry of the older layout holds its event as a document, not as the record's bytes:
    the relay encodes it as it used to, and the consumer reads the same event."""
    event = {"event_id": str(uuid4()), "assessment_id": "IDN-1", "text": "نعم",
             "occurred_at": "2026-01-01T00:00:00+00:00"}  # fmt: skip
    older = {"topic": parts.topic, "key": "doc", "event": event, "trace": {}}
    await parts.collection.insert_one({"_id": "doc", **outbox_fields_for_insert([older])})
    assert await OutboxRelay(parts.collection, parts.broker, "test", 0.05).relay_once() == 1
    records = await read_records(infra.kafka, parts.topic, lambda r: len(r) >= 1, 30)
    assert json.loads(records[0].value) == event
    assert records[0].key == b"doc"


async def test_the_relays_reads_and_marks_are_each_served_by_a_unique_index(
    infra,  # type: ignore[no-untyped-def]
    parts: Parts,
) -> None:
    commands = Commands()
    client: AsyncMongoClient[Document] = AsyncMongoClient(infra.mongodb_url,
                                                          event_listeners=[commands])  # fmt: skip
    collection = client.get_database("mgi_test").get_collection(parts.collection.name)
    try:
        await prepare_outbox(collection)
        await collection.insert_one(
            {"_id": "doc", **outbox_fields_for_insert([entry(parts.topic)])}
        )
        relay = AppendingWhilePublishing(collection, parts.broker, "test", 0.05)
        relay.late_entry = entry(parts.topic)  # so the mark after a late append is used too
        commands.sent.clear()
        hints = [Hint("doc")]
        assert await relay._relay(hints) == 1
        assert await relay._relay(hints) == 1
        # Read, (the test's late append), mark lost to it, record progress; then read, mark.
        names = [name for name, _ in commands.filters()]
        assert names == ["find", "update", "update", "update", "find", "update"]
        assert await unindexed_filters(collection.database, commands) == []
    finally:
        await client.close()


async def test_preparing_drops_the_guard_indexes_earlier_versions_created(
    parts: Parts,
) -> None:
    """Compare-and-set filters (`_id` plus a guarded field) are served by `_id`: the unique
    (`_id`, field) indexes older versions made for them are dropped, other indexes kept."""
    collection = parts.collection
    await collection.create_index([("_id", 1), ("version", 1)], unique=True,
                                  name="_id_version_guard")  # fmt: skip
    await collection.create_index([("code", 1)], unique=True)
    await prepare_outbox(collection)
    await prepare_outbox(collection)  # again, as a second replica or a restart would
    names = {spec["name"] async for spec in await collection.list_indexes()}
    assert names == {"_id_", "code_1", "outbox_pending_1"}


async def test_an_append_after_all_was_sent_reaches_the_relay_without_a_read_or_its_echo(
    infra,  # type: ignore[no-untyped-def]
    parts: Parts,
    watched: Watched,
) -> None:
    """The writer asks back only the outbox counters (the entries it appended may be large), and
    the relay publishes them from the hint without reading the document."""
    collection, commands, hints, relay = (
        watched.collection,
        watched.commands,
        watched.hints,
        watched.relay,
    )
    assert await insert_with_outbox(collection, {"_id": "doc"}, [entry(parts.topic, "1")], hints)
    assert await relay._relay(await hints.take(timeout=0)) == 1
    commands.sent.clear()
    change = {"$set": {"state": "second"}}
    second = entry(parts.topic, "2")
    assert await update_with_outbox(collection, {"_id": "doc"}, change, [second], hints)
    [(name, write)] = commands.sent
    assert name == "findAndModify" and "outbox" not in write["fields"]
    assert await relay._relay(await hints.take(timeout=0)) == 1
    assert [name for name, _ in commands.filters()] == ["findAndModify", "update"]

    records = await read_records(infra.kafka, parts.topic, lambda r: len(r) >= 2, 30)
    assert [value["text"] for value in json_values(records)] == ["1", "2"]
    stored = await collection.find_one({"_id": "doc"})
    assert stored is not None and stored["state"] == "second"
    assert stored["outbox"] == [] and stored["outbox_count"] == 2
    assert not stored["outbox_pending"]


async def test_writers_snapshots_spare_the_relay_its_read_and_publish_each_entry_once(
    infra,  # type: ignore[no-untyped-def]
    parts: Parts,
    watched: Watched,
) -> None:
    """A writer hands the relay the outbox as its write left it. A snapshot taken before the
    relay marked entries it shows (a second write between their publish and their mark) must
    not publish those entries again."""
    collection, commands, hints, relay = (
        watched.collection,
        watched.commands,
        watched.hints,
        watched.relay,
    )
    first, second = entry(parts.topic, "first"), entry(parts.topic, "second")
    assert await insert_with_outbox(collection, {"_id": "doc"}, [first], hints)
    taken = await hints.take(timeout=0)
    # The second write comes before the relay marks the first entry sent.
    assert await update_with_outbox(collection, {"_id": "doc"}, {}, [second], hints)
    commands.sent.clear()
    assert await relay._relay(taken) == 1
    # The first entry was still unsent when the second was appended: the second write's
    # counters cannot tell the stored list, so the relay reads it (and skips the first).
    assert await relay._relay(await hints.take(timeout=0)) == 1
    assert [name for name, _ in commands.filters()].count("find") == 1

    records = await read_records(infra.kafka, parts.topic, lambda r: len(r) >= 2, 30)
    await asyncio.sleep(1)  # a duplicate would have been sent with the second
    records = await read_records(infra.kafka, parts.topic, lambda r: len(r) >= 2, 30)
    assert [value["text"] for value in json_values(records)] == ["first", "second"]
    stored = await collection.find_one({"_id": "doc"})
    assert stored is not None and stored["outbox"] == [] and not stored["outbox_pending"]


class SlowMarks(OutboxRelay):
    """Marks wait for the test to let them through; the first may fail instead."""

    gate: asyncio.Event
    fail_first = False
    marks_started = 0
    sweeps = 0

    async def relay_once(self) -> int:
        published = await super().relay_once()
        self.sweeps += 1
        return published

    async def _mark_sent(self, documents: list[Document]) -> int:
        self.marks_started += 1
        if self.fail_first:
            self.fail_first = False
            raise ConnectionFailure("the database is restarting")
        await self.gate.wait()
        return await super()._mark_sent(documents)


@asynccontextmanager
async def slow_marks_running(
    parts: Parts, hints: OutboxHints, *, fail_first: bool = False
) -> AsyncIterator[SlowMarks]:
    """A running relay whose start-up sweep is over; marks wait for `relay.gate` (open when the
    first mark is to fail instead)."""
    relay = SlowMarks(parts.collection, parts.broker, "test", sweep_seconds=3600, hints=hints)
    relay.gate, relay.fail_first = asyncio.Event(), fail_first
    if fail_first:
        relay.gate.set()
    async with relay_running(relay):
        await eventually(lambda: relay.sweeps == 1, timeout=30)
        yield relay


async def test_a_running_relay_publishes_the_next_batch_while_the_last_one_is_marked(
    infra,  # type: ignore[no-untyped-def]
    parts: Parts,
) -> None:
    topic, collection, hints = parts.topic, parts.collection, OutboxHints()
    async with slow_marks_running(parts, hints) as relay:
        first, second = entry(topic, "first"), entry(topic, "second")
        await insert_with_outbox(collection, {"_id": "a"}, [first], hints)
        await eventually(lambda: relay.marks_started == 1, timeout=30)
        await insert_with_outbox(collection, {"_id": "b"}, [second], hints)
        # "a" is still being marked, and "b" goes out all the same.
        records = await read_records(infra.kafka, topic, lambda r: len(r) >= 2, 30)
        assert [value["text"] for value in json_values(records)] == ["first", "second"]
        assert not await relayed(collection, "a")
        relay.gate.set()
        await eventually(lambda: relayed(collection, "b"), timeout=30)
        assert await relayed(collection, "a")


def swept(commands: Commands) -> bool:
    return any(name == "find" and body["filter"] == {"outbox_pending": True}
               for name, body in commands.sent)  # fmt: skip


async def test_documents_delivered_one_by_one_are_marked_together(
    infra,  # type: ignore[no-untyped-def]
    watched: Watched,
    parts: Parts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Long enough that the three passes below fall within one window on any machine.
    monkeypatch.setattr(outbox_relay, "MARK_GATHER_SECONDS", 5.0)
    async with relay_running(watched.relay):
        await eventually(lambda: swept(watched.commands), timeout=30)  # the start-up sweep
        for number, document_id in enumerate(("a", "b", "c"), start=1):
            await insert_with_outbox(watched.collection, {"_id": document_id},
                                     [entry(parts.topic, document_id)], watched.hints)  # fmt: skip
            # Published on its own before the next document is written.
            await read_records(infra.kafka, parts.topic, lambda r, n=number: len(r) >= n, 30)
        await eventually(lambda: relayed(watched.collection, "c"), timeout=30)
    marks = [body for name, body in watched.commands.sent
             if name == "update" and body["update"] == watched.collection.name]  # fmt: skip
    assert [len(mark["updates"]) for mark in marks] == [3]
    for document_id in ("a", "b"):
        assert await relayed(watched.collection, document_id)


async def test_a_mark_that_failed_is_made_later_without_publishing_again(
    infra,  # type: ignore[no-untyped-def]
    parts: Parts,
) -> None:
    topic, collection, hints = parts.topic, parts.collection, OutboxHints()
    async with slow_marks_running(parts, hints, fail_first=True) as relay:
        await insert_with_outbox(
            collection, {"_id": "doc"}, [entry(topic, "first"), entry(topic, "second")], hints
        )
        await eventually(lambda: relayed(collection, "doc"), timeout=30)
        assert relay.marks_started == 2
    # Everything the relay published lies before this record on the one partition.
    await parts.broker.publish(b'{"text": "end"}', topic, key=b"doc")
    records = await read_records(
        infra.kafka, topic, lambda r: b"end" in (r[-1].value if r else b"")
    )
    assert [value["text"] for value in json_values(records)] == ["first", "second", "end"]
