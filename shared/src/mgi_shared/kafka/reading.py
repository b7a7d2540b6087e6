"""Reading topics from their start to the end they have now, without a group or a commit."""

from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition


async def records_to_end(
    bootstrap: str, topics: list[str], options: dict[str, Any] | None = None
) -> list["ConsumerRecord[bytes, bytes]"]:
    """Every record on `topics` up to their current ends, partition by partition in order.
    `options` are aiokafka's connection settings (mgi_shared.kafka.security.client_options)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, **(options or {})
    )
    await consumer.start()
    try:
        partitions = [
            TopicPartition(topic, partition)
            for topic in topics
            for partition in sorted(await _partitions(consumer, topic))
        ]
        if not partitions:
            return []
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        records: list[ConsumerRecord[bytes, bytes]] = []
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            for batch in (await consumer.getmany(*partitions, timeout_ms=1000)).values():
                records.extend(batch)
        return records
    finally:
        await consumer.stop()


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> set[int]:
    found = consumer.partitions_for_topic(topic)
    if not found:
        await consumer._client.force_metadata_update()  # a topic this client has not seen yet
        found = consumer.partitions_for_topic(topic)
    return set(found or ())
