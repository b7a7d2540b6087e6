"""Deliveries stored at the same time (one event for many subscriptions, or many events at once)
reach the real database as one marker write and one insert, each caller told whether its
delivery was new; changes made at the same time are one bulk of compare-and-sets, each caller
told whether its change was made; markers dropped at the same time are one delete."""

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import pytest
from pymongo import AsyncMongoClient

from mgi_notifications.adapters.deliveries import DeliveryStore
from mgi_notifications.domain.deliveries import Status
from mgi_notifications.domain.events import NotificationEvent
from mgi_shared.mongo import Document
from mgi_shared.testing.commands import Commands

pytestmark = pytest.mark.integration


def event(assessment_id: str) -> NotificationEvent:
    return NotificationEvent.model_validate({
        "event_id": uuid4().hex, "event_type": "submission.accepted",
        "assessment_id": assessment_id, "jurisdiction": "ECU", "jurisdiction_name": "Ecuador",
        "occurred_at": "2026-12-06T00:00:00Z", "data": {},
    })  # fmt: skip


@dataclass
class Watched:
    store: DeliveryStore
    commands: Commands  # every command the store sent


@pytest.fixture
async def watched(infra: Any) -> AsyncIterator[Watched]:
    """A delivery store on a database of its own, its commands recorded."""
    commands = Commands()
    client: AsyncMongoClient[Document] = AsyncMongoClient(infra.mongodb_url, tz_aware=True,
                                                          event_listeners=[commands])  # fmt: skip
    database = client[f"mgi_test_notifications_{uuid4().hex[:8]}"]
    try:
        yield Watched(DeliveryStore(database), commands)
    finally:
        await client.drop_database(database.name)
        await client.close()


async def test_deliveries_stored_at_once_are_one_marker_write_and_one_insert(
    watched: Watched,
) -> None:
    store, commands = watched.store, watched.commands
    due = time.time()
    documents = [
        DeliveryStore.new_document(
            f"d{n}",
            "sub",
            "webhook",
            [event("ECU-1")],
            status=Status.PENDING,
            due_at=due,
            trace={},
        )
        for n in range(6)
    ]
    assert await store.insert(documents[0])
    commands.sent.clear()
    stored = await asyncio.gather(*(store.insert(d) for d in documents))
    assert stored == [False] + [True] * 5  # the first was there already
    names = [(name, body[name]) for name, body in commands.sent]
    assert names == [("update", "deliveries_open"), ("insert", "deliveries")]
    assert sorted(i for i, _ in await store.open_ids()) == [f"d{n}" for n in range(6)]
    commands.sent.clear()
    await asyncio.gather(*(store.forget(d["_id"]) for d in documents))
    assert [(name, body[name]) for name, body in commands.sent] == [("delete", "deliveries_open")]
    assert await store.open_ids() == []


async def test_changes_at_the_same_time_are_one_write_and_a_lost_race_is_told_apart(
    watched: Watched,
) -> None:
    """Sends' outcomes recorded at the same time go out as one bulk of compare-and-sets; when
    two change one delivery from the same version, exactly one is told it made its change."""
    store, commands = watched.store, watched.commands
    documents = [
        DeliveryStore.new_document(f"d{n}", "sub", "webhook", [event("ECU-1")],
                                   status=Status.PENDING, due_at=time.time(), trace={})
        for n in range(5)
    ]  # fmt: skip
    await asyncio.gather(*(store.insert(d) for d in documents))
    commands.sent.clear()
    sent = {"status": Status.SENT.value}
    changed = await asyncio.gather(*(store.replace_if(d, sent) for d in documents))
    assert [c and (c["_id"], c["status"], c["version"]) for c in changed] == [
        (f"d{n}", "sent", 2) for n in range(5)
    ]
    updates = [body["update"] for name, body in commands.sent if name == "update"]
    assert updates == ["deliveries"]  # one write for the five (the markers apart)
    assert await store.open_ids() == []

    sent_one = changed[0]
    assert sent_one is not None
    first, second = await asyncio.gather(
        store.replace_if(sent_one, {"status": Status.FAILED.value}),
        store.replace_if(sent_one, {"status": Status.PENDING.value, "due_at": 1.0}),
    )
    assert (first is None) != (second is None)
    winner = first or second
    assert winner is not None
    stored = await store.get("d0")
    assert stored is not None
    assert (stored["status"], stored["version"]) == (winner["status"], 3)
    assert [i for i, _ in await store.open_ids()] == (["d0"] if second else [])
