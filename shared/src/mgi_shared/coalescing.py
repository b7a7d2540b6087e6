"""Concurrent calls of one kind sent to the database as one bulk command.

Each handler of a batch of records, and each concurrent HTTP request, makes its own writes;
each write is a round trip that costs both sides about as much CPU as the work in it. A
`Coalescer` keeps at most one bulk command of its kind in flight: a call made while none is
waiting goes out at the next turn of the event loop with whatever else came in that turn; calls
made while one is in flight wait for it and go out together in the next. Alone it adds no wait;
under load the bulks grow by themselves, and the commands per record fall with them.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar
from uuid import uuid4

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError, OperationFailure

from mgi_shared.mongo import Document

DUPLICATE_KEY = 11000
Item = TypeVar("Item")
Outcome = TypeVar("Outcome")

# One bulk command for every item: each item's outcome, or the error raised for it.
Flush = Callable[[list[Item]], Awaitable[Sequence[Outcome | BaseException]]]


class Coalescer(Generic[Item, Outcome]):
    def __init__(self, flush: Flush[Item, Outcome], most: int = 500) -> None:
        self._flush = flush
        self._most = most  # items per bulk command at most
        self._waiting: list[tuple[Item, asyncio.Future[Outcome]]] = []
        self._running = False
        self._drainer: asyncio.Future[None] | None = None  # held: the loop keeps tasks weakly

    async def submit(self, item: Item) -> Outcome:
        """The item's outcome once the bulk command holding it is answered (or its error)."""
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if not self._running:
            self._running = True
            asyncio.get_running_loop().call_soon(self._start)
        return await future

    def _start(self) -> None:
        # The first caller's context: its trace holds the bulk command's span.
        self._drainer = asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        taken: list[tuple[Item, asyncio.Future[Outcome]]] = []
        try:
            while self._waiting:
                taken, self._waiting = self._waiting[: self._most], self._waiting[self._most :]
                try:
                    outcomes = await self._flush([item for item, _ in taken])
                except Exception as error:  # every caller gets the error as its own
                    outcomes = [error] * len(taken)
                _settle(taken, outcomes)
                taken = []
        except BaseException:  # cancelled (shutdown): nobody is left waiting forever
            for _, future in [*taken, *self._waiting]:
                future.cancel()
            self._waiting = []
            raise
        finally:
            self._running = False


def _settle(
    taken: list[tuple[Item, "asyncio.Future[Outcome]"]],
    outcomes: Sequence["Outcome | BaseException"],
) -> None:
    for (_, future), outcome in zip(taken, outcomes, strict=True):
        if future.done():  # the caller was cancelled meanwhile
            continue
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)


def reads_by_id(
    collection: AsyncCollection[Document], projection: Document | None = None
) -> Coalescer[Any, Document | None]:
    """Reads of single documents by `_id`, made at the same time, as one `$in` query (served by
    the `_id` index on MongoDB and on the local server alike): each caller gets its document or
    None. A caller asking for an id another caller asked for in the same bulk gets a copy."""

    async def read(ids: list[Any]) -> list[Document | None]:
        distinct = list(dict.fromkeys(ids))
        found: Sequence[Document | None]
        if len(distinct) == 1:
            found = [await collection.find_one({"_id": distinct[0]}, projection)]
        else:
            found = await collection.find({"_id": {"$in": distinct}}, projection).to_list(None)
        by_id = {document["_id"]: document for document in found if document is not None}
        given: set[Any] = set()
        outcomes: list[Document | None] = []
        for document_id in ids:
            document = by_id.get(document_id)
            outcomes.append(dict(document) if document and document_id in given else document)
            given.add(document_id)
        return outcomes

    return Coalescer(read)


async def insert_each(
    collection: AsyncCollection[Document], documents: list[Document]
) -> list[bool | Exception]:
    """The documents in one unordered insert: for each, True if inserted, False if a unique key
    (its `_id`) was taken, which is how a repeat shows, or the error it met."""
    outcomes: list[bool | Exception] = [True] * len(documents)
    try:
        await collection.insert_many(documents, ordered=False)
    except BulkWriteError as error:
        for failure in error.details.get("writeErrors", []):
            code = failure.get("code")
            outcomes[failure["index"]] = (
                False if code == DUPLICATE_KEY else OperationFailure(failure.get("errmsg"), code)
            )
    return outcomes


async def updates_each(
    collection: AsyncCollection[Document], updates: list[tuple[Document, Document]], tag_field: str
) -> list[bool]:
    """(filter by `_id`, update) pairs in one unordered bulk write: for each, whether it changed
    its document. A bulk says how many it changed, not which, so each update also sets
    `tag_field` to a tag of its own; when fewer than all were made (another writer won a race,
    or two updates of one document met in the bulk), the tags read back tell which were."""
    bulk = uuid4().hex
    tags = [f"{bulk}.{index}" for index in range(len(updates))]
    writes = [
        UpdateOne(query, {**update, "$set": {**update.get("$set", {}), tag_field: tag}})
        for (query, update), tag in zip(updates, tags, strict=True)
    ]
    result = await collection.bulk_write(writes, ordered=False)
    if result.modified_count == len(updates):
        return [True] * len(updates)
    ids = list(dict.fromkeys(query["_id"] for query, _ in updates))
    found = {d["_id"]: d.get(tag_field)
             async for d in collection.find({"_id": {"$in": ids}}, [tag_field])}  # fmt: skip
    return [found.get(query["_id"]) == tag for (query, _), tag in zip(updates, tags, strict=True)]


def upserts_by_id(collection: AsyncCollection[Document]) -> Coalescer[tuple[Any, Document], None]:
    """`$set` upserts by `_id` (submit `(id, fields)`), made at the same time, as one unordered
    bulk write. The calls were concurrent, so no order among them was promised; two for one id
    are merged into one write in the order they were made, the later value of a field winning.
    Each caller gets None, or the error its document's write met."""

    async def write(items: list[tuple[Any, Document]]) -> list[BaseException | None]:
        merged: dict[Any, Document] = {}
        for document_id, fields in items:
            merged.setdefault(document_id, {}).update(fields)
        ids = list(merged)
        failed: dict[Any, BaseException] = {}
        try:
            await collection.bulk_write(
                [UpdateOne({"_id": i}, {"$set": merged[i]}, upsert=True) for i in ids],
                ordered=False,
            )
        except BulkWriteError as error:
            for failure in error.details.get("writeErrors", []):
                failed[ids[failure["index"]]] = OperationFailure(
                    failure.get("errmsg"), failure.get("code")
                )
        return [failed.get(document_id) for document_id, _ in items]

    return Coalescer(write)
