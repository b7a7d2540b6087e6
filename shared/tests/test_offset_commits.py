"""The offset committer's rules, against a stand-in consumer (the real broker's side is in
test_reliable_consumer): commits coalesce within the interval, name only partitions still
assigned, are tried again after a broker error, and are flushed as the consumer stops."""

import asyncio
from typing import Any, cast

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaConnectionError

from mgi_shared.kafka.commits import OffsetCommitter

A, B = TopicPartition("t", 0), TopicPartition("t", 1)


class StandInConsumer:
    def __init__(self, assigned: set[TopicPartition], failures: int = 0) -> None:
        self.assigned = assigned
        self.failures = failures
        self.commits: list[dict[TopicPartition, int]] = []
        self.stopped = False

    def assignment(self) -> set[TopicPartition]:
        return self.assigned

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        if self.failures:
            self.failures -= 1
            raise KafkaConnectionError("broker away")
        self.commits.append(dict(offsets))

    async def stop(self) -> None:
        self.stopped = True


def consumer_of(stand_in: StandInConsumer) -> AIOKafkaConsumer:
    return cast(AIOKafkaConsumer, stand_in)


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_batches_handled_within_the_interval_are_one_commit_of_the_furthest() -> None:
    stand_in = StandInConsumer({A, B})
    committer = OffsetCommitter(interval_seconds=0.2)
    committer.handled(consumer_of(stand_in), {A: 3})
    await settle()
    assert stand_in.commits == [{A: 3}]  # the first goes at once
    for offsets in ({A: 5}, {B: 2}, {A: 4}, {A: 7, B: 6}):
        committer.handled(consumer_of(stand_in), offsets)
    await settle()
    assert len(stand_in.commits) == 1
    await asyncio.sleep(0.3)
    assert stand_in.commits == [{A: 3}, {A: 7, B: 6}]


async def test_partitions_taken_away_are_not_committed() -> None:
    stand_in = StandInConsumer({A})
    committer = OffsetCommitter(interval_seconds=0.05)
    committer.handled(consumer_of(stand_in), {A: 2, B: 9})
    await asyncio.sleep(0.1)
    assert stand_in.commits == [{A: 2}]


async def test_a_failed_commit_is_tried_again_with_what_was_handled_since() -> None:
    stand_in = StandInConsumer({A}, failures=1)
    committer = OffsetCommitter(interval_seconds=0.05)
    committer.handled(consumer_of(stand_in), {A: 2})
    await settle()
    assert stand_in.commits == []
    committer.handled(consumer_of(stand_in), {A: 4})
    await asyncio.sleep(0.15)
    assert stand_in.commits == [{A: 4}]


async def test_stopping_the_consumer_commits_what_is_pending_first() -> None:
    stand_in = StandInConsumer({A})
    committer = OffsetCommitter(interval_seconds=600)
    consumer = consumer_of(stand_in)
    committer.handled(consumer, {A: 1})
    await settle()
    committer.handled(consumer, {A: 5})
    await settle()
    assert stand_in.commits == [{A: 1}]
    await cast(Any, consumer).stop()
    assert stand_in.commits == [{A: 1}, {A: 5}]
    assert stand_in.stopped
