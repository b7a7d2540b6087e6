"""A batch's records of one key go to a topic's `together` handler at once; a record alone, and
every record of a group whose handler failed, go to the one-by-one handler."""

import pytest
from opentelemetry import trace

from mgi_shared.kafka.records import InboundRecord
from mgi_shared.kafka.reliable import ReliableConsumer
from mgi_shared.kafka.together import Member

pytestmark = pytest.mark.unit

TOPIC = "mgi.test.together.v1"


def record(key: str, offset: int, topic: str = TOPIC) -> InboundRecord:
    return InboundRecord(topic=topic, partition=0, offset=offset, key=key.encode(),
                         value=b"{}", headers={})  # fmt: skip


class Calls:
    def __init__(self, fail_together: bool = False) -> None:
        self.alone: list[tuple[str | None, int]] = []
        self.together: list[list[tuple[str | None, int]]] = []
        self.current_inside: list[bool] = []
        self._fail = fail_together

    async def one(self, r: InboundRecord) -> None:
        self.alone.append((r.key_text, r.offset))

    async def many(self, members: list[Member]) -> None:
        self.together.append([(m.record.key_text, m.record.offset) for m in members])
        for member in members:
            with member.within():
                self.current_inside.append(trace.get_current_span() is member.span)
        if self._fail:
            raise RuntimeError("the one write failed")


def consumer(calls: Calls) -> ReliableConsumer:
    # No broker: nothing here is parked (every one-by-one handling succeeds).
    consumer = ReliableConsumer(None, "test", "group", max_attempts=2,  # type: ignore[arg-type]
                                retry_base_seconds=0.05)  # fmt: skip
    consumer.subscribe(TOPIC, calls.one, together=calls.many)
    consumer.subscribe("mgi.test.other.v1", calls.one)
    return consumer


async def test_records_of_one_key_go_together_in_order_and_lone_ones_alone() -> None:
    calls = Calls()
    batch = [record("A", 1), record("B", 2), record("A", 3), record("A", 4),
             record("C", 5, "mgi.test.other.v1"), record("C", 6, "mgi.test.other.v1")]  # fmt: skip
    await consumer(calls).dispatch_batch(batch)
    assert calls.together == [[("A", 1), ("A", 3), ("A", 4)]]
    assert all(calls.current_inside) and len(calls.current_inside) == 3
    # B came alone; C's topic has no together handler.
    assert sorted(calls.alone) == [("B", 2), ("C", 5), ("C", 6)]


async def test_a_failed_group_is_handled_again_one_by_one() -> None:
    calls = Calls(fail_together=True)
    await consumer(calls).dispatch_batch([record("A", 1), record("A", 2)])
    assert calls.together == [[("A", 1), ("A", 2)]]
    assert calls.alone == [("A", 1), ("A", 2)]
