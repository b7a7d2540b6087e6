"""The shared consumer pattern against the real broker: commit after the effect,
retry then dead-letter a failing record while the rest flow, redelivery after a crash."""

import asyncio
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from faststream.kafka import KafkaBroker
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from mgi_shared.contracts.topics import dead_letter_topic, retry_topic
from mgi_shared.kafka import records as h
from mgi_shared.kafka.broker import make_broker
from mgi_shared.kafka.publishing import publish_in_trace
from mgi_shared.kafka.records import InboundRecord
from mgi_shared.kafka.reliable import ReliableConsumer
from mgi_shared.settings import ServiceSettings
from mgi_shared.testing.kafka import create_topics, eventually, read_records

pytestmark = pytest.mark.integration


@dataclass
class Harness:
    bootstrap: str
    service: str
    topic: str
    group: str

    def settings(self) -> ServiceSettings:
        return ServiceSettings(service_name=self.service, kafka_bootstrap_servers=self.bootstrap)

    def consumer_on(self, broker: KafkaBroker) -> ReliableConsumer:
        return ReliableConsumer(broker, self.service, self.group, max_attempts=2,
                                retry_base_seconds=0.05)  # fmt: skip

    def collecting(self, broker: KafkaBroker) -> "asyncio.Queue[InboundRecord]":
        """A consumer of the topic on `broker` that puts every record it handles in a queue."""
        received: asyncio.Queue[InboundRecord] = asyncio.Queue()
        consumer = self.consumer_on(broker)
        consumer.subscribe(self.topic, received.put)
        consumer.register()
        return received


@pytest.fixture
async def harness(infra) -> Harness:  # type: ignore[no-untyped-def]
    service = f"t{uuid4().hex[:10]}"
    topic = f"mgi.test.{service}.v1"
    await create_topics(infra.kafka, [topic], partitions=1)
    await create_topics(infra.kafka, [retry_topic(service), dead_letter_topic(service)], 1)
    return Harness(infra.kafka, service, topic, f"group-{service}")


async def committed_offset(bootstrap: str, group: str, topic: str) -> int | None:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group,
                                enable_auto_commit=False)  # fmt: skip
    await consumer.start()
    try:
        return await consumer.committed(TopicPartition(topic, 0))
    finally:
        await consumer.stop()


async def test_round_trip_carries_key_value_and_trace(harness: Harness) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    broker = make_broker(harness.settings())
    received = harness.collecting(broker)
    await broker.start()
    try:
        with provider.get_tracer("test").start_as_current_span("origin") as origin:
            await publish_in_trace(broker, b'{"n": 1}', harness.topic, key=b"IDN-2023", headers={})
        record = await asyncio.wait_for(received.get(), 30)
    finally:
        await broker.stop()
    assert (record.key, record.value) == (b"IDN-2023", b'{"n": 1}')
    trace_id = format(origin.get_span_context().trace_id, "032x")
    assert record.headers["traceparent"].split("-")[1] == trace_id


async def test_failing_record_is_retried_then_dead_lettered_while_others_commit(
    harness: Harness,
) -> None:
    broker = make_broker(harness.settings())
    handled: list[bytes] = []
    attempts: list[int] = []

    async def handler(record: InboundRecord) -> None:
        if record.value == b"poison":
            attempts.append(record.attempt)
            raise ValueError("cannot handle this one")
        handled.append(record.value)

    consumer = harness.consumer_on(broker)
    consumer.subscribe(harness.topic, handler)
    consumer.register()
    await broker.start()
    try:
        for value in (b"r0", b"r1", b"poison", b"r3", b"r4"):
            await broker.publish(value, harness.topic, key=b"k")
        await eventually(lambda: len(handled) == 4)
        dead = await read_records(harness.bootstrap, dead_letter_topic(harness.service),
                                  until=lambda rs: len(rs) >= 1)  # fmt: skip
        # Past the poison record too: it was parked, so the offset moved on to the end.

        async def committed_past_everything() -> bool:
            offset = await committed_offset(harness.bootstrap, harness.group, harness.topic)
            return offset == 5

        await eventually(committed_past_everything)
    finally:
        await broker.stop()
    assert handled == [b"r0", b"r1", b"r3", b"r4"]
    assert attempts == [1, 2]
    headers = {k: v.decode() for k, v in dead[0].headers}
    assert dead[0].value == b"poison"
    assert headers[h.ORIGINAL_TOPIC] == harness.topic
    assert headers[h.ORIGINAL_OFFSET] == "2"
    assert headers[h.ATTEMPT] == "2"
    assert "cannot handle this one" in headers[h.ERROR]


CRASHING_CONSUMER = textwrap.dedent(
    """
    import asyncio, os, sys
    from mgi_shared.kafka.broker import make_broker
    from mgi_shared.kafka.reliable import ReliableConsumer
    from mgi_shared.settings import ServiceSettings

    bootstrap, service, topic, group = sys.argv[1:5]

    async def crash(record):
        print("received", record.offset, flush=True)
        os._exit(17)  # dies mid-handling, before anything is committed

    async def main():
        broker = make_broker(ServiceSettings(service_name=service,
                                             kafka_bootstrap_servers=bootstrap))
        consumer = ReliableConsumer(broker, service, group, 2, 0.05)
        consumer.subscribe(topic, crash)
        consumer.register()
        await broker.start()
        await asyncio.sleep(60)

    asyncio.run(main())
    """
)


async def test_consumer_killed_before_commit_gets_the_record_again(harness: Harness) -> None:
    broker = make_broker(harness.settings())
    await broker.start()
    await broker.publish(b"important", harness.topic, key=b"k")
    await broker.stop()

    crashed = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", CRASHING_CONSUMER, harness.bootstrap, harness.service,
         harness.topic, harness.group],
        capture_output=True, text=True, timeout=90, env=dict(os.environ),
    )  # fmt: skip
    assert crashed.returncode == 17, crashed.stderr[-2000:]
    assert "received 0" in crashed.stdout

    survivor = make_broker(harness.settings())
    received = harness.collecting(survivor)
    await survivor.start()
    try:
        record = await asyncio.wait_for(received.get(), 60)
    finally:
        await survivor.stop()
    assert (record.offset, record.value) == (0, b"important")


async def test_a_graceful_stop_commits_what_was_handled_since_the_last_commit(
    harness: Harness,
) -> None:
    """Offsets are committed at most every interval; what waits for the next one when the
    consumer stops is committed before it goes, so a restart reads none of it again."""
    broker = make_broker(harness.settings())
    handled: list[bytes] = []

    async def handler(record: InboundRecord) -> None:
        handled.append(record.value)

    consumer = ReliableConsumer(broker, harness.service, harness.group, max_attempts=2,
                                retry_base_seconds=0.05, commit_interval_seconds=600)  # fmt: skip
    consumer.subscribe(harness.topic, handler)
    consumer.register()
    await broker.start()
    try:
        await broker.publish(b"r0", harness.topic, key=b"k")
        await eventually(lambda: len(handled) == 1)

        async def first_committed() -> bool:
            return await committed_offset(harness.bootstrap, harness.group, harness.topic) == 1

        await eventually(first_committed)  # the first commit goes at once
        for value in (b"r1", b"r2", b"r3"):
            await broker.publish(value, harness.topic, key=b"k")
        await eventually(lambda: len(handled) == 4)
        # Well within the interval: these wait for the next commit.
        assert await committed_offset(harness.bootstrap, harness.group, harness.topic) == 1
    finally:
        await broker.stop()
    assert await committed_offset(harness.bootstrap, harness.group, harness.topic) == 4


async def test_a_fetch_wait_gathers_records_that_come_one_by_one_into_fewer_batches(
    harness: Harness,
) -> None:
    """Five records 100 ms apart: read as they come they are five batches; a consumer whose
    fetches may wait two seconds reads them in one or two."""
    batches: list[int] = []

    class CountingBatches(ReliableConsumer):
        async def dispatch_batch(self, records: Iterable[InboundRecord]) -> None:
            records = list(records)
            batches.append(len(records))
            await super().dispatch_batch(records)

    broker = make_broker(harness.settings())
    consumer = CountingBatches(broker, harness.service, harness.group, max_attempts=2,
                               retry_base_seconds=0.05, fetch_wait_ms=2000)  # fmt: skip
    handled: list[bytes] = []

    async def handler(record: InboundRecord) -> None:
        handled.append(record.value)

    consumer.subscribe(harness.topic, handler)
    consumer.register()
    await broker.start()
    try:
        for n in range(5):
            await broker.publish(f"r{n}".encode(), harness.topic, key=b"k")
            await asyncio.sleep(0.1)
        await eventually(lambda: len(handled) == 5)
    finally:
        await broker.stop()
    assert handled == [b"r0", b"r1", b"r2", b"r3", b"r4"]
    assert max(batches) >= 3, batches
