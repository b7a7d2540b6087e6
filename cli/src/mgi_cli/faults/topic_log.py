"""Reads a topic from its first record to its current end, as an auditor would: the run's
stack is its own, so its topics hold only the run's records."""

import json
import time

from aiokafka import AIOKafkaConsumer, TopicPartition

from mgi_cli.bench.workload import Json
from mgi_shared.contracts.topics import KEYED_PARTITIONS

READ_SECONDS = 60.0


async def read_topic(bootstrap: str, topic: str) -> list[Json]:
    """Every record's JSON value of a keyed topic (as `mgi stack up` creates them) (records that are not JSON are skipped)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None,
                                max_partition_fetch_bytes=8 * 1024 * 1024)  # fmt: skip
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in range(KEYED_PARTITIONS)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        values: list[Json] = []
        deadline = time.monotonic() + READ_SECONDS
        while time.monotonic() < deadline:
            positions = [await consumer.position(tp) for tp in partitions]
            if all(at >= ends[tp] for at, tp in zip(positions, partitions, strict=True)):
                break
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    try:
                        values.append(json.loads(record.value or b""))
                    except ValueError:
                        continue
        return values
    finally:
        await consumer.stop()
