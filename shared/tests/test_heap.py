"""A service's start-up objects are frozen out of the cycle collector once start-up is over."""

import contextlib
import gc
from collections.abc import AsyncIterator, Iterator

import pytest
from fastapi import FastAPI

from mgi_shared.heap import FULL_COLLECTION_EVERY, freeze_startup_objects, frozen_after_startup

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()  # the test process goes on collecting as before
    gc.set_threshold(*thresholds)


class Node:
    """An object the collector tracks."""


def tracked(obj: object) -> bool:
    return any(o is obj for o in gc.get_objects())


def test_freezing_takes_live_objects_out_of_the_collectors_reach() -> None:
    kept = Node()
    assert tracked(kept)
    freeze_startup_objects()
    assert gc.get_freeze_count() > 0
    assert not tracked(kept)


def test_full_collections_come_rarer_and_the_younger_generations_as_before() -> None:
    young, middle, _ = gc.get_threshold()
    freeze_startup_objects()
    assert gc.get_threshold() == (young, middle, FULL_COLLECTION_EVERY)


def test_freezing_first_collects_the_garbage_start_up_left() -> None:
    collected: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            collected.append(info["collected"])

    gc.disable()  # no automatic collection may take the cycle first
    gc.callbacks.append(note)
    try:
        cycle = Node()
        cycle.other = Node()  # type: ignore[attr-defined]
        cycle.other.back = cycle  # type: ignore[attr-defined]
        del cycle
        freeze_startup_objects()
    finally:
        gc.callbacks.remove(note)
        gc.enable()
    assert collected and collected[0] >= 2


async def test_a_lifespan_freezes_once_its_start_up_is_done() -> None:
    seen_during_start_up: list[int] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        seen_during_start_up.append(gc.get_freeze_count())
        yield

    app = FastAPI(lifespan=lifespan)
    app.router.lifespan_context = frozen_after_startup(app.router.lifespan_context)
    async with app.router.lifespan_context(app):
        assert gc.get_freeze_count() > 0
    assert seen_during_start_up == [0]
