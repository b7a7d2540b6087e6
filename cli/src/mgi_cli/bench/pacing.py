"""An offered load: the i-th record is due at start + i / rate, whatever the answers do."""

import asyncio
import time
from collections.abc import AsyncIterator


async def paced(count: int, rate: float) -> AsyncIterator[int]:
    """Yields 0..count-1, each at its due time (at once when running late: an open-loop load,
    so a slow platform shows as latency rather than as a lower offered rate)."""
    started = time.perf_counter()
    for index in range(count):
        delay = started + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        yield index
