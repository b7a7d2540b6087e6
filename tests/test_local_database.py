"""The local database as `mgi stack up` starts it: what survives a stop, what pymongo needs,
and how the platform's consumers ride out a restart of it.

Each test starts its own mongo-java-server process (through the stack's own launcher) on a
port apart from the session's, with its store in a temporary data directory.
"""

import asyncio
import logging
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import pytest
from bson import ObjectId
from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from mgi_cli.infra import mongodb, processes
from mgi_cli.infra.processes import ProcessPaths
from mgi_cli.infra.readiness import mongo_probe, wait_until
from mgi_cli.stack import REPO_ROOT
from mgi_shared.contracts.topics import dead_letter_topic, retry_topic
from mgi_shared.kafka.broker import make_broker
from mgi_shared.kafka.records import InboundRecord
from mgi_shared.kafka.reliable import ReliableConsumer
from mgi_shared.mongo import make_mongo_client
from mgi_shared.settings import ServiceSettings
from mgi_shared.testing.kafka import create_topics, eventually

pytestmark = pytest.mark.integration

PORT = 27327  # below the ephemeral range, apart from the session's 27317
URL = f"mongodb://127.0.0.1:{PORT}"
# MgiMongoServer commits the store every 100 ms: older writes survive a kill.
COMMIT_DELAY_S = 0.1


class LocalDatabase:
    def __init__(self, data_dir: Path) -> None:
        cache = Path(os.environ.get("MGI_CACHE_DIR", Path.home() / ".cache" / "mgi"))
        self.spec = mongodb.prepare(REPO_ROOT, data_dir, cache, "127.0.0.1", PORT, print)
        self.paths = ProcessPaths.of(data_dir, "mongodb")

    async def start(self) -> int:
        pid = processes.start(self.spec, self.paths)
        alive = lambda: processes.running_pid(self.paths) is not None  # noqa: E731
        await wait_until(mongo_probe(URL), 60, "mongodb", alive=alive)
        return pid

    def kill(self, sig: signal.Signals) -> None:
        pid = processes.running_pid(self.paths)
        assert pid is not None
        if sig is signal.SIGTERM:
            assert processes.stop(self.paths)
        else:
            os.killpg(pid, sig)
            processes.stop(self.paths)  # reaps it


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[LocalDatabase]:
    database = LocalDatabase(tmp_path)
    yield database
    processes.stop(database.paths)


async def test_what_was_written_survives_a_stop_and_a_kill_after_the_commit_delay(
    database: LocalDatabase,
) -> None:
    await database.start()
    client = make_mongo_client(URL)
    await client.mgi_test.kept.insert_one({"_id": "before-stop", "n": 1})
    await client.close()
    database.kill(signal.SIGTERM)  # closes the store: nothing is lost

    await database.start()
    client = make_mongo_client(URL)
    assert await client.mgi_test.kept.find_one({"_id": "before-stop"}) == {
        "_id": "before-stop",
        "n": 1,
    }
    await client.mgi_test.kept.insert_one({"_id": "before-kill", "n": 2})
    await client.close()
    # The README's bound: a kill loses at most the writes of the last commit delay, so a
    # write older than that survives. (Not a check of the delay's value: after a quiet
    # spell MVStore commits a first write sooner than the delay anyway.)
    await asyncio.sleep(COMMIT_DELAY_S * 5)
    database.kill(signal.SIGKILL)

    await database.start()
    client = make_mongo_client(URL)
    try:
        ids = [d["_id"] async for d in client.mgi_test.kept.find({}).sort("_id", ASCENDING)]
        assert ids == ["before-kill", "before-stop"]
    finally:
        await client.close()


async def test_commands_the_services_use_work_against_it(database: LocalDatabase) -> None:
    await database.start()
    client = make_mongo_client(URL)
    collection = client.mgi_test[f"c{uuid4().hex[:6]}"]
    try:
        # The server declares MongoDB 4.4 (wire version 9), the oldest pymongo 4.20 accepts.
        info = await client.server_info()
        assert info["version"].startswith("4.4")
        await collection.create_index([("outbox_pending", ASCENDING)])
        await collection.create_index([("code", ASCENDING)], unique=True)
        await collection.insert_one({"_id": "a", "code": "x", "version": 1, "log": []})
        with pytest.raises(DuplicateKeyError):
            await collection.insert_one({"_id": "b", "code": "x"})
        # Compare-and-set, $push with $each/$slice, $addToSet, $inc on nested fields.
        update = {
            "$inc": {"version": 1, "counts.n": 1},
            "$push": {"log": {"$each": [1, 2, 3], "$slice": -2}},
            "$addToSet": {"tags": "t"},
        }
        assert (await collection.update_one({"_id": "a", "version": 1}, update)).modified_count
        assert not (await collection.update_one({"_id": "a", "version": 1}, update)).matched_count
        stored = await collection.find_one({"_id": {"$in": ["a", "z"]}}, {"log": 1, "counts": 1})
        assert stored == {"_id": "a", "log": [2, 3], "counts": {"n": 1}}
        upserted = await collection.replace_one({"_id": "u"}, {"code": "u"}, upsert=True)
        assert upserted.upserted_id == "u"
        assert await collection.count_documents({"code": {"$exists": True}}) == 2
        assert await collection.distinct("code") == ["u", "x"]
    finally:
        await client.close()


async def test_filters_naming_id_and_more_fields_match_the_document_with_that_id(
    database: LocalDatabase,
) -> None:
    """The launcher serves a filter naming `_id` and other fields from the `_id` index, with no
    index on those fields, then matches the rest: the services' compare-and-sets rely on it."""
    await database.start()
    client = make_mongo_client(URL)
    collection = client.mgi_test[f"c{uuid4().hex[:6]}"]
    try:
        oid = ObjectId()
        await collection.insert_many(
            [
                {"_id": "a", "version": 1, "code": "x"},
                {"_id": 7, "version": 3},
                {"_id": oid, "version": 1},
                {"_id": "b", "version": 1, "code": "y"},
            ]
        )
        assert (await collection.find_one({"_id": "a", "version": 1}) or {}).get("code") == "x"
        assert await collection.find_one({"_id": "a", "version": 2}) is None
        assert await collection.find_one({"_id": "zz", "version": 1}) is None
        assert await collection.count_documents({"_id": 7, "version": {"$gte": 2}}) == 1
        assert await collection.count_documents({"_id": oid, "version": 1}) == 1
        swapped = await collection.update_one({"_id": "a", "version": 1}, {"$inc": {"version": 1}})
        assert swapped.modified_count == 1
        stale = await collection.update_one({"_id": "a", "version": 1}, {"$inc": {"version": 1}})
        assert stale.matched_count == 0
        # An operator on `_id` is not a plain key: the server's own plan serves it.
        listed = collection.find({"_id": {"$in": ["a", "b"]}, "version": 1})
        assert [d["_id"] async for d in listed] == ["b"]
        assert (await collection.delete_one({"_id": "b", "code": "x"})).deleted_count == 0
        assert (await collection.delete_one({"_id": "b", "code": "y"})).deleted_count == 1
    finally:
        await client.close()


async def test_updates_that_add_fields_never_break_the_stores_background_writer(
    database: LocalDatabase,
) -> None:
    """The library changes the very object it read while updating it; read straight from the
    store, that object could be one the background writer was serializing, and an update that
    added a field then closed the whole store. Many such updates, spread over the commits."""
    await database.start()
    client = make_mongo_client(URL)
    collection = client.mgi_test[f"c{uuid4().hex[:6]}"]
    try:
        padding = {f"field{n}": "x" * 200 for n in range(40)}  # pages worth writing
        await collection.insert_many([{"_id": n, **padding} for n in range(50)])

        async def add_fields(writer: int) -> None:
            for step in range(150):
                document = (writer * 7 + step) % 50
                added = {"$set": {f"new_{writer}_{step}": step}, "$max": {f"max_{step}": step}}
                await collection.update_one({"_id": document}, added)
                if step % 3 == 0:
                    await collection.update_one({"_id": document},
                                                {"$unset": {f"new_{writer}_{step}": ""}})  # fmt: skip

        started = asyncio.get_running_loop().time()
        while asyncio.get_running_loop().time() - started < 3 * COMMIT_DELAY_S * 10:
            await asyncio.gather(*(add_fields(writer) for writer in range(8)))
        assert await collection.count_documents({}) == 50  # the store still answers
        assert "ConcurrentModificationException" not in database.paths.log_file.read_text()
    finally:
        await client.close()


async def test_unique_index_keys_written_to_the_store_find_and_guard_after_a_restart(
    database: LocalDatabase,
) -> None:
    """Unique-index keys (ordered by the launcher's IndexKeyType) written to the store's pages
    by one server process read back, search and refuse duplicates in the next."""
    await database.start()
    client = make_mongo_client(URL)
    collection = client.mgi_test.guarded
    await collection.create_index([("_id", ASCENDING), ("version", ASCENDING)], unique=True)
    await collection.create_index([("code", ASCENDING)], unique=True)
    await collection.insert_many(
        [{"_id": f"d{n:04}", "code": f"c{n:04}", "version": 1} for n in range(600)]
    )
    # Pages rewritten by later commits too, keys and all.
    for n in range(0, 600, 7):
        await collection.update_one({"_id": f"d{n:04}", "version": 1}, {"$set": {"version": 2}})
    await client.close()
    database.kill(signal.SIGTERM)

    await database.start()
    client = make_mongo_client(URL)
    collection = client.mgi_test.guarded
    try:
        for n in (0, 7, 8, 343, 599):
            version = 2 if n % 7 == 0 else 1
            found = await collection.find_one({"_id": f"d{n:04}", "version": version})
            assert found is not None and found["code"] == f"c{n:04}"
            assert (await collection.find_one({"code": f"c{n:04}"}) or {}).get("_id") == f"d{n:04}"
        with pytest.raises(DuplicateKeyError):
            await collection.insert_one({"_id": "new", "code": "c0343", "version": 1})
    finally:
        await client.close()


async def test_collection_stats_report_the_size_of_what_is_stored(
    database: LocalDatabase,
) -> None:
    """The launcher computes a collection's data size when asked rather than on every write."""
    await database.start()
    client = make_mongo_client(URL)
    db = client.mgi_test
    try:
        await db.sized.insert_many([{"_id": n, "text": "x" * 1000} for n in range(10)])
        ten = (await db.command("collStats", "sized"))["size"]
        await db.sized.insert_many([{"_id": n, "text": "x" * 1000} for n in range(10, 20)])
        twenty = (await db.command("collStats", "sized"))["size"]
        assert 10 * 1000 < ten < 10 * 1100
        assert twenty == 2 * ten
        await db.sized.delete_many({})
        assert (await db.command("collStats", "sized"))["size"] == 0
    finally:
        await client.close()


class Waits(logging.Handler):
    """Counts the consumer's waits for unavailable infrastructure."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += record.getMessage() == "infrastructure unavailable; waiting"


async def test_a_database_restart_delays_records_but_spends_no_attempt(  # type: ignore[no-untyped-def]
    database: LocalDatabase, infra
) -> None:
    service = f"t{uuid4().hex[:10]}"
    topic = f"mgi.test.{service}.v1"
    await create_topics(infra.kafka, [topic, retry_topic(service), dead_letter_topic(service)], 1)
    await database.start()
    client = make_mongo_client(URL)
    handled: list[InboundRecord] = []

    async def store(record: InboundRecord) -> None:
        await client.mgi_test.outage.insert_one({"_id": record.value.decode()})
        handled.append(record)

    settings = ServiceSettings(service_name=service, kafka_bootstrap_servers=infra.kafka)
    broker = make_broker(settings)
    # Two attempts 50 ms apart: without waiting out the outage, the record would be dead-lettered.
    consumer = ReliableConsumer(broker, service, f"g-{service}", max_attempts=2,
                                retry_base_seconds=0.05)  # fmt: skip
    consumer.subscribe(topic, store)
    consumer.register()
    waits = Waits()
    logging.getLogger("mgi_shared.kafka.reliable").addHandler(waits)
    await broker.start()
    try:
        database.kill(signal.SIGTERM)
        await broker.publish(b"during-the-outage", topic, key=b"k")
        await eventually(lambda: waits.count >= 2, timeout=60)  # it failed, and is waiting
        await database.start()
        await eventually(lambda: len(handled) == 1, timeout=60)
    finally:
        logging.getLogger("mgi_shared.kafka.reliable").removeHandler(waits)
        await broker.stop()
        await client.close()
    assert handled[0].attempt == 1
    assert handled[0].value == b"during-the-outage"
