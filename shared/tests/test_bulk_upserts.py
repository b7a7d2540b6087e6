"""`upserts_by_id` against the real database: concurrent upserts are one bulk write, two for one
id merge with the later value winning, and a write that fails fails only its own callers."""

import asyncio
from typing import Any
from uuid import uuid4

import pytest
from pymongo import AsyncMongoClient

from mgi_shared.coalescing import upserts_by_id
from mgi_shared.mongo import Document
from mgi_shared.testing.commands import Commands

pytestmark = pytest.mark.integration


async def test_concurrent_upserts_go_out_as_one_bulk_write_merged_by_id(infra: Any) -> None:
    commands = Commands()
    client: AsyncMongoClient[Document] = AsyncMongoClient(infra.mongodb_url,
                                                          event_listeners=[commands])  # fmt: skip
    collection = client.get_database("mgi_test").get_collection(f"upserts_{uuid4().hex[:8]}")
    writes = upserts_by_id(collection)
    try:
        await collection.insert_one({"_id": "known", "kept": 1, "revision": 1})
        commands.sent.clear()
        await asyncio.gather(
            writes.submit(("known", {"revision": 2})),
            writes.submit(("new", {"revision": 1, "name": "first"})),
            writes.submit(("known", {"revision": 3})),
        )
        [(name, body)] = commands.sent
        assert name == "update" and len(body["updates"]) == 2
        stored = {d["_id"]: d async for d in collection.find({})}
        assert stored == {
            "known": {"_id": "known", "kept": 1, "revision": 3},
            "new": {"_id": "new", "revision": 1, "name": "first"},
        }
    finally:
        await collection.drop()
        await client.close()


async def test_a_failed_write_fails_only_the_callers_of_its_document(infra: Any) -> None:
    client: AsyncMongoClient[Document] = AsyncMongoClient(infra.mongodb_url)
    collection = client.get_database("mgi_test").get_collection(f"upserts_{uuid4().hex[:8]}")
    writes = upserts_by_id(collection)
    try:
        await collection.insert_one({"_id": "text", "field": "a string"})
        outcomes = await asyncio.gather(
            writes.submit(("text", {"field.inner": 1})),  # cannot go inside a string
            writes.submit(("other", {"field": 2})),
            return_exceptions=True,
        )
        assert isinstance(outcomes[0], Exception) and outcomes[1] is None
        assert await collection.find_one({"_id": "other"}) == {"_id": "other", "field": 2}
        assert await collection.find_one({"_id": "text"}) == {"_id": "text", "field": "a string"}
    finally:
        await collection.drop()
        await client.close()
