"""Consumer lag per partition, from what the consumer already knows after a batch: the
partition's high watermark (from its last fetch) minus the next offset to handle."""

from collections.abc import Iterable, Mapping
from typing import Any

from aiokafka import TopicPartition

from mgi_shared.kafka.records import InboundRecord
from mgi_shared.metrics import CONSUMER_LAG


def next_offsets(records: Iterable[InboundRecord]) -> dict[TopicPartition, int]:
    """Per partition of the batch, the offset after the last record handled."""
    following: dict[TopicPartition, int] = {}
    for record in records:
        key = TopicPartition(record.topic, record.partition)
        following[key] = max(following.get(key, 0), record.offset + 1)
    return following


def record_lag(consumer: Any, service: str, following: Mapping[TopicPartition, int]) -> None:
    """`following`: per partition, the next offset to handle (`next_offsets` of the batch).
    No network call: `highwater` is what the last fetch response said."""
    if consumer is None or not hasattr(consumer, "highwater"):
        return
    for partition, next_offset in following.items():
        try:
            high = consumer.highwater(partition)
        except AssertionError:  # revoked meanwhile: its new owner reports it
            continue
        if high is not None:
            CONSUMER_LAG.labels(service, partition.topic, str(partition.partition)).set(
                max(high - next_offset, 0)
            )
