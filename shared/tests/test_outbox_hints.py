"""The hints writers give the outbox relay: every id once, in the order first written."""

import asyncio

import pytest

from mgi_shared.mongo import Document
from mgi_shared.outbox import Hint, OutboxHints

pytestmark = pytest.mark.unit


async def test_hints_come_out_once_each_in_the_order_they_were_first_given() -> None:
    hints = OutboxHints()
    for document_id in ("b", "a", "b", "c"):
        hints.notify(document_id)
    assert [hint.document_id for hint in await hints.take(timeout=0)] == ["b", "a", "c"]
    assert await hints.take(timeout=0.01) == []


async def test_a_waiting_relay_wakes_up_when_a_writer_gives_a_hint() -> None:
    hints = OutboxHints()
    waiting = asyncio.create_task(hints.take(timeout=30))
    await asyncio.sleep(0)
    hints.notify("doc")
    assert await asyncio.wait_for(waiting, 5) == [Hint("doc")]


def snapshot(count: int) -> Document:
    return {"outbox": [{"n": n} for n in range(count)], "outbox_trimmed": 0}


async def test_of_two_snapshots_of_a_document_the_later_write_s_is_kept() -> None:
    """Two writers may notify in the opposite order of their writes."""
    hints = OutboxHints()
    hints.notify("doc", snapshot(2))
    hints.notify("doc", snapshot(1))
    assert await hints.take(timeout=0) == [Hint("doc", snapshot(2))]


async def test_a_hint_without_a_snapshot_makes_the_relay_read_the_document() -> None:
    hints = OutboxHints()
    hints.notify("doc", snapshot(1))
    hints.notify("doc")
    hints.notify("doc", snapshot(3))
    assert await hints.take(timeout=0) == [Hint("doc")]
