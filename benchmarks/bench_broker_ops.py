"""What one Kafka or database operation costs the local stack's broker and database.

Not a test: it prints figures. Run against a running local stack (`mgi stack up`, the same
`MGI_DATA_DIR`): `.venv/bin/python benchmarks/bench_broker_ops.py [--count 1000]` (about a
minute). One client does each operation `--count` times, one after the other, on a topic and a
database of its own; the server's CPU comes from /proc, so the idle stack's own use is in it
(printed first, in ms per second: subtract it times the wall time per operation).

Why: every batch a service handles pays some of these (a fetch, an offset commit, database
round trips), and when load is light a batch holds one record. The offset commit's figure is
what made the consumers commit in the background (mgi_shared/kafka/commits.py) and the local
broker drop the group coordinator's linger (mgi_cli/infra/kafka.py).
"""

import argparse
import asyncio
import os
import time
import uuid
from collections.abc import Awaitable, Callable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from pymongo import AsyncMongoClient
from rich.console import Console
from rich.table import Table

from mgi_cli.bench.cpu import cpu_seconds
from mgi_cli.stack import StackConfig
from mgi_shared.testing.kafka import create_topics

Operation = Callable[[int], Awaitable[object]]
VALUE = b"x" * 2000  # about an accepted event's size


def server_seconds(config: StackConfig, name: str) -> float:
    seconds = cpu_seconds(config).get(name)
    if seconds is None:
        raise SystemExit(f"{name} is not running under {config.data_dir}: run `mgi stack up`")
    return seconds


async def measure(
    config: StackConfig, server: str, count: int, operation: Operation
) -> tuple[float, float, float]:
    """(server CPU ms, this client's CPU ms, wall ms) per operation."""
    before, mine, started = server_seconds(config, server), os.times(), time.perf_counter()
    for n in range(count):
        await operation(n)
    wall = time.perf_counter() - started
    after, mine_after = server_seconds(config, server), os.times()
    client = (mine_after.user + mine_after.system) - (mine.user + mine.system)
    return (after - before) * 1000 / count, client * 1000 / count, wall * 1000 / count


async def idle_ms_per_second(config: StackConfig, server: str) -> float:
    before = server_seconds(config, server)
    await asyncio.sleep(3)
    return (server_seconds(config, server) - before) * 1000 / 3


Rows = list[tuple[str, Operation]]
Close = Callable[[], Awaitable[None]]


async def kafka_rows(config: StackConfig) -> tuple[Rows, Close]:
    bootstrap = config.settings.kafka_bootstrap_servers
    topic = f"mgi.bench.ops.{uuid.uuid4().hex[:8]}"
    await create_topics(bootstrap, [topic], partitions=1)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=f"{topic}-group",
                                enable_auto_commit=False, auto_offset_reset="latest")  # fmt: skip
    await producer.start()
    await consumer.start()
    await consumer.getmany(timeout_ms=2000)  # joined, at the end of the topic
    partition = TopicPartition(topic, 0)

    async def produce(n: int) -> object:
        return await producer.send_and_wait(topic, VALUE, key=b"k")

    async def produce_and_fetch(n: int) -> object:
        await producer.send_and_wait(topic, VALUE, key=b"k")
        while not await consumer.getmany(partition, timeout_ms=1000):
            pass
        return None

    async def commit(n: int) -> object:
        return await consumer.commit({partition: n + 1})

    async def close() -> None:
        await consumer.stop()
        await producer.stop()

    rows: Rows = [("produce one record (acks=all)", produce),
                  ("produce one record, then fetch it", produce_and_fetch),
                  ("commit one offset", commit)]  # fmt: skip
    return rows, close


async def database_rows(config: StackConfig) -> tuple[Rows, Close]:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(config.settings.mongodb_url)
    documents = client["mgi_bench_ops"][uuid.uuid4().hex[:8]]
    body = {"text": "x" * 1000, "n": 0}

    async def close() -> None:
        await client.drop_database("mgi_bench_ops")
        await client.close()

    rows: Rows = [
        ("insert a 1 KB document", lambda n: documents.insert_one({"_id": n, **body})),
        ("find one by _id", lambda n: documents.find_one({"_id": n})),
        (
            "update one by _id ($set)",
            lambda n: documents.update_one({"_id": n}, {"$set": {"n": 1}}),
        ),
        (
            "compare-and-set by _id and a field",
            lambda n: documents.update_one({"_id": n, "n": 1}, {"$set": {"n": 2}}),
        ),
    ]
    return rows, close


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    count = parser.parse_args().count
    config = StackConfig.from_environment()
    table = Table(title=f"CPU per operation, {count} each, one client")
    for column in ("server", "operation", "server ms", "client ms", "wall ms"):
        table.add_column(column)
    for server, prepare in (("kafka", kafka_rows), ("mongodb", database_rows)):
        idle = await idle_ms_per_second(config, server)
        table.add_row(server, "(idle use, ms per second)", f"{idle:.1f}", "", "")
        rows, close = await prepare(config)
        try:
            for label, operation in rows:
                cpu, mine, wall = await measure(config, server, count, operation)
                table.add_row(server, label, f"{cpu:.2f}", f"{mine:.2f}", f"{wall:.2f}")
        finally:
            await close()
    Console().print(table)


if __name__ == "__main__":
    asyncio.run(main())
