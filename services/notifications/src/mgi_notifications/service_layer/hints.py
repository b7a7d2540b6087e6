"""Ids of deliveries just stored, so the sender starts on them at once instead of at its sweep."""

import asyncio
import contextlib
import time


class SendHints:
    def __init__(self) -> None:
        self._ids: dict[str, None] = {}  # an ordered set: oldest first
        self._wake = asyncio.Event()

    def notify(self, delivery_id: str) -> None:
        self._ids[delivery_id] = None
        self._wake.set()

    def notify_at(self, delivery_id: str, when: float) -> None:
        """Name the delivery when it comes due (epoch seconds), e.g. a digest's window end, so
        it goes out on time rather than at the next sweep."""
        delay = max(0.0, when - time.time())
        asyncio.get_running_loop().call_later(delay, self.notify, delivery_id)

    async def take(self, timeout: float) -> list[str]:
        if not self._ids:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)
        ids = list(self._ids)
        self._ids.clear()
        self._wake.clear()
        return ids
