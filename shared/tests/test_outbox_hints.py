"""The hints writers give the outbox relay: every id once, in the order first written."""

import asyncio

import pytest

from mgi_shared.outbox import OutboxHints

pytestmark = pytest.mark.unit


async def test_hints_come_out_once_each_in_the_order_they_were_first_given() -> None:
    hints = OutboxHints()
    for document_id in ("b", "a", "b", "c"):
        hints.notify(document_id)
    assert await hints.take(timeout=0) == ["b", "a", "c"]
    assert await hints.take(timeout=0.01) == []


async def test_a_waiting_relay_wakes_up_when_a_writer_gives_a_hint() -> None:
    hints = OutboxHints()
    waiting = asyncio.create_task(hints.take(timeout=30))
    await asyncio.sleep(0)
    hints.notify("doc")
    assert await asyncio.wait_for(waiting, 5) == ["doc"]
