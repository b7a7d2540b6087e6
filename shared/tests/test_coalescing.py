"""The coalescer's pure logic: which calls share a bulk, and who gets which outcome."""

import asyncio
from collections.abc import Sequence

import pytest

from mgi_shared.coalescing import Coalescer


class Recorded:
    """A flush that records each bulk, doubles each number and fails on negative ones."""

    def __init__(self, pause: float = 0.0) -> None:
        self.bulks: list[list[int]] = []
        self.pause = pause

    async def __call__(self, items: list[int]) -> Sequence[int | BaseException]:
        self.bulks.append(items)
        await asyncio.sleep(self.pause)
        return [ValueError(f"negative {i}") if i < 0 else i * 2 for i in items]


async def test_calls_made_in_one_turn_share_one_bulk() -> None:
    flush = Recorded()
    coalescer = Coalescer(flush)
    assert await asyncio.gather(*(coalescer.submit(i) for i in range(5))) == [0, 2, 4, 6, 8]
    assert flush.bulks == [[0, 1, 2, 3, 4]]


async def test_a_lone_call_goes_out_alone_and_calls_during_a_bulk_wait_for_the_next() -> None:
    flush = Recorded(pause=0.05)
    coalescer = Coalescer(flush)
    first = asyncio.ensure_future(coalescer.submit(1))
    await asyncio.sleep(0.01)  # the first bulk is in flight
    later = [asyncio.ensure_future(coalescer.submit(i)) for i in (2, 3)]
    assert await first == 2
    assert await asyncio.gather(*later) == [4, 6]
    assert flush.bulks == [[1], [2, 3]]


async def test_an_item_that_fails_fails_only_its_caller() -> None:
    coalescer = Coalescer(Recorded())
    outcomes = await asyncio.gather(*(coalescer.submit(i) for i in (1, -1, 2)),
                                    return_exceptions=True)  # fmt: skip
    assert outcomes[0] == 2 and outcomes[2] == 4
    assert isinstance(outcomes[1], ValueError)


async def test_a_failed_bulk_fails_every_caller_and_the_next_bulk_goes_out() -> None:
    calls = 0

    async def flaky(items: list[int]) -> Sequence[int | BaseException]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("database gone")
        return items

    coalescer = Coalescer(flaky)
    outcomes = await asyncio.gather(coalescer.submit(1), coalescer.submit(2),
                                    return_exceptions=True)  # fmt: skip
    assert all(isinstance(o, ConnectionError) for o in outcomes)
    assert await coalescer.submit(3) == 3


async def test_bulks_hold_at_most_the_limit() -> None:
    flush = Recorded()
    coalescer = Coalescer(flush, most=2)
    assert await asyncio.gather(*(coalescer.submit(i) for i in range(5))) == [0, 2, 4, 6, 8]
    assert flush.bulks == [[0, 1], [2, 3], [4]]


async def test_a_cancelled_caller_leaves_the_others_their_outcomes() -> None:
    flush = Recorded(pause=0.05)
    coalescer = Coalescer(flush)
    gone = asyncio.ensure_future(coalescer.submit(1))
    kept = asyncio.ensure_future(coalescer.submit(2))
    await asyncio.sleep(0.01)
    gone.cancel()
    assert await kept == 4
    with pytest.raises(asyncio.CancelledError):
        await gone
