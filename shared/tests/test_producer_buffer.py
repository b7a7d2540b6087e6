"""The services' producer against the real broker: an outbox relay's batch of events is handed
over without waiting for the broker, however many fit aiokafka's default per-partition buffer."""

from uuid import uuid4

import pytest

from mgi_shared.kafka.broker import make_broker
from mgi_shared.settings import ServiceSettings
from mgi_shared.testing.kafka import create_topics

pytestmark = pytest.mark.integration

RELAY_BATCH = 100  # OutboxRelay's default batch
EVENT_BYTES = 2_500  # about a submissions.accepted event (results.updated: about 1,900)


async def test_a_relay_batch_of_events_is_handed_over_before_any_is_acknowledged(
    infra,  # type: ignore[no-untyped-def]
) -> None:
    topic = f"mgi.test.buffer-{uuid4().hex[:8]}.v1"
    await create_topics(infra.kafka, [topic], 1)  # one partition: the whole batch in one buffer
    settings = ServiceSettings(service_name="buffer", kafka_bootstrap_servers=infra.kafka)
    broker = make_broker(settings)
    await broker.start()
    try:
        # The first event connects and learns the topic's partitions.
        await broker.publish(b"{}", topic)
        value = b'{"filler": "' + b"x" * EVENT_BYTES + b'"}'
        acknowledgements = [
            await broker.publish(value, topic, key=b"k", no_confirm=True)
            for _ in range(RELAY_BATCH)
        ]
        # A record that finds the partition's buffer full waits until the request before it
        # is answered; none did, so nothing can have been acknowledged yet.
        assert sum(ack.done() for ack in acknowledgements) == 0
        for ack in acknowledgements:
            await ack
    finally:
        await broker.stop()
