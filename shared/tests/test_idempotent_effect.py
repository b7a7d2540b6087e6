"""Duplicate delivery of one event through the real broker has one effect in the real database."""

import json
from uuid import uuid4

import pytest

from mgi_shared.contracts.topics import dead_letter_topic, retry_topic
from mgi_shared.idempotency import apply_once
from mgi_shared.kafka.broker import make_broker
from mgi_shared.kafka.records import InboundRecord
from mgi_shared.kafka.reliable import ReliableConsumer
from mgi_shared.mongo import make_mongo_client
from mgi_shared.settings import ServiceSettings
from mgi_shared.testing.kafka import create_topics, eventually

pytestmark = pytest.mark.integration


async def test_same_event_delivered_twice_is_applied_once(infra) -> None:  # type: ignore[no-untyped-def]
    service = f"t{uuid4().hex[:10]}"
    topic = f"mgi.test.{service}.v1"
    await create_topics(infra.kafka, [topic, retry_topic(service), dead_letter_topic(service)], 1)
    mongo = make_mongo_client(infra.mongodb_url)
    counters = mongo.get_database("mgi_test").get_collection(f"counters_{service}")
    deliveries: list[bool] = []

    async def count_submission(record: InboundRecord) -> None:
        event = json.loads(record.value)
        applied = await apply_once(counters, event["assessment_id"], event["event_id"],
                                   {"$inc": {"accepted": 1}})  # fmt: skip
        deliveries.append(applied)

    broker = make_broker(ServiceSettings(service_name=service,
                                         kafka_bootstrap_servers=infra.kafka), None)  # fmt: skip
    consumer = ReliableConsumer(broker, service, f"g-{service}", 2, 0.05)
    consumer.subscribe(topic, count_submission)
    consumer.register()
    event = json.dumps({"event_id": str(uuid4()), "assessment_id": "IDN-2023-national"}).encode()
    other = json.dumps({"event_id": str(uuid4()), "assessment_id": "IDN-2023-national"}).encode()
    await broker.start()
    try:
        for value in (event, event, other, event):
            await broker.publish(value, topic, key=b"IDN-2023-national")
        await eventually(lambda: len(deliveries) == 4)
    finally:
        await broker.stop()
    document = await counters.find_one({"_id": "IDN-2023-national"})
    await mongo.close()
    assert deliveries == [True, False, True, False]
    assert document is not None and document["accepted"] == 2
