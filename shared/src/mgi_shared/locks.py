"""One lock per document for every writer in this process: consumers, routes and relays.

FerretDB v1 (the local database) does not apply concurrent updates of one
document atomically: it reads, changes and writes the document back, so of 50
concurrent `$inc` about a third survive, and a compare-and-set lets several
writers "win". Holding this lock around each write to a document keeps them one
at a time within a process; compare-and-set filters still guard against other
replicas on a real MongoDB. On FerretDB, run one replica per service.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from weakref import WeakValueDictionary


class DocumentLocks:
    def __init__(self) -> None:
        # Weak values: a lock lives only while someone holds or waits for it.
        self._locks: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()

    @contextlib.asynccontextmanager
    async def hold(self, document_id: str) -> AsyncIterator[None]:
        lock = self._locks.get(document_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[document_id] = lock
        async with lock:
            yield
