"""Ids of deliveries just stored, so the sender starts on them at once instead of at its sweep.

A delivery stored already claimed by this process comes with its document: the sender then
sends it without reading it back or claiming it (three database commands fewer per webhook).
"""

import asyncio
import contextlib
import time

from mgi_shared.mongo import Document


class SendHints:
    def __init__(self) -> None:
        # Oldest first; the document when the delivery was stored claimed by this process.
        self._ids: dict[str, Document | None] = {}
        self._wake = asyncio.Event()

    def notify(self, delivery_id: str, claimed: Document | None = None) -> None:
        self._ids[delivery_id] = claimed if claimed is not None else self._ids.get(delivery_id)
        self._wake.set()

    def notify_at(self, delivery_id: str, when: float) -> None:
        """Name the delivery when it comes due (epoch seconds), e.g. a digest's window end, so
        it goes out on time rather than at the next sweep."""
        delay = max(0.0, when - time.time())
        asyncio.get_running_loop().call_later(delay, self.notify, delivery_id)

    async def take(self, timeout: float) -> dict[str, Document | None]:
        """The deliveries named since the last call (id -> claimed document, or None)."""
        if not self._ids:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)
        ids = self._ids
        self._ids = {}
        self._wake.clear()
        return ids
