"""Consumer lag and outbox age, from what the consumer and the relay already hold."""

import time
from typing import Any

import pytest
from aiokafka import TopicPartition

from mgi_shared.kafka.lag import next_offsets, record_lag
from mgi_shared.kafka.records import InboundRecord
from mgi_shared.metrics import CONSUMER_LAG
from mgi_shared.outbox_relay import _oldest_occurred

pytestmark = pytest.mark.unit


class FetchedConsumer:
    def highwater(self, tp: TopicPartition) -> int | None:
        return {("t", 0): 10, ("t", 1): None}.get((tp.topic, tp.partition))


def test_lag_is_the_high_watermark_minus_the_next_offset_to_handle() -> None:
    records = [InboundRecord("t", 0, offset, None, b"") for offset in (3, 5, 4)]
    records.append(InboundRecord("t", 1, 7, None, b""))
    record_lag(FetchedConsumer(), "probe", next_offsets(records))
    assert CONSUMER_LAG.labels("probe", "t", "0")._value.get() == 4
    record_lag(None, "probe", next_offsets(records))  # a consumer that cannot say changes nothing


def test_the_oldest_unsent_event_is_dated_by_when_it_occurred() -> None:
    document: dict[str, Any] = {"outbox": [{"event": {"occurred_at": "2026-01-01T00:00:00+00:00"}},
                                           {"event": {"occurred_at": "2026-01-02T00:00:00+00:00"}}],
                                "outbox_trimmed": 0, "outbox_sent_count": 1}  # fmt: skip
    assert _oldest_occurred(document) == 1767312000.0  # the second: the first was sent
    assert abs(_oldest_occurred({"outbox": [{"event": {}}]}) - time.time()) < 5
