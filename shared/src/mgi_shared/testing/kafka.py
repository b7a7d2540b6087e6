"""Creating throwaway topics and reading what landed on a topic, for tests."""

import asyncio
import json
import time
from collections.abc import Callable, Iterable
from typing import Any
from uuid import uuid4

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment


async def create_topics(bootstrap: str, names: list[str], partitions: int = 3) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        new = [NewTopic(n, partitions, 1) for n in names if n not in existing]
        if new:
            await admin.create_topics(new)
    finally:
        await admin.close()


async def read_records(
    bootstrap: str,
    topic: str,
    until: Callable[[list[ConsumerRecord[bytes, bytes]]], bool],
    timeout: float = 30.0,
) -> list[ConsumerRecord[bytes, bytes]]:
    """Read `topic` from the start until `until(records)` holds; fails after `timeout`."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"test-reader-{uuid4().hex}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    deadline = time.monotonic() + timeout
    try:
        while not until(records):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out reading {topic}; got {len(records)} records")
            batch = await consumer.getmany(timeout_ms=500)
            for partition_records in batch.values():
                records.extend(partition_records)
        return records
    finally:
        await consumer.stop()


def json_values(records: list[ConsumerRecord[bytes, bytes]]) -> list[Any]:
    return [json.loads(r.value) for r in records if r.value]


async def eventually(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    """Poll an async or sync check until it returns a truthy value."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


async def start_group_at_end(bootstrap: str, group: str, topics: list[str]) -> None:
    """Commit a new group at the topics' ends, so it skips what earlier tests published
    (a new group would otherwise replay the whole topic from the start)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group,
                                enable_auto_commit=False)  # fmt: skip
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        partitions = [
            TopicPartition(topic, partition)
            for topic in topics
            for partition in consumer.partitions_for_topic(topic) or ()
        ]
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.commit(dict(ends))
    finally:
        await consumer.stop()


async def start_services_at_end(
    bootstrap: str, instance: str, services: Iterable[str], topics: list[str]
) -> None:
    """Both consumer groups of each service of `instance` (its main one and its retry one)
    start at the topics' ends (see start_group_at_end)."""
    for service in services:
        for group in (f"mgi-{instance}-{service}", f"mgi-{instance}-{service}-retry"):
            await start_group_at_end(bootstrap, group, topics)


async def group_assignments(bootstrap: str, group: str) -> dict[str, set[TopicPartition]]:
    """The partitions each member of a stable consumer group holds, as the broker sees them
    (empty while the group rebalances)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        [response] = await admin.describe_consumer_groups([group])
    finally:
        await admin.close()
    [described] = response.to_object()["groups"]
    if described["state"] != "Stable":
        return {}
    return {
        member["member_id"]: set(
            ConsumerProtocolMemberAssignment.decode(member["member_assignment"]).partitions()
        )
        for member in described["members"]
    }
