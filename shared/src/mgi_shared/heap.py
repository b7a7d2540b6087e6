"""Python's cycle collector, set for a service process that runs for months.

A full collection walks every object the process holds, and the event loop waits for it. A
service holds about 120,000 objects once started (modules, schemas, clients) that live as long
as it does, so under load full collections stopped the loop every few seconds, the longest of
each service for 256-455 ms (measured in `mgi bench` at 100 submissions/s: benchmarks/README.md,
"Python's collector"). Those pauses were a large part of the slowest submissions' latency.
Frozen after start-up, those objects are never walked again, and a full collection walks only
what the service made since.

That is still about 100,000 objects in scoring, which keeps the states of the assessments it
works on: 100-200 ms per full collection, and by Python's default one every tenth collection of
the middle generation, every three seconds at 100 submissions/s. Those pauses are rarer here
(FULL_COLLECTION_EVERY): garbage in reference cycles, rare in these services, waits longer
for its collection, and the peak memory of every service stayed the same in the bench.
"""

import contextlib
import gc
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

App = TypeVar("App")

# Collections of the middle generation per full collection (Python's default: 10). At 100
# submissions/s scoring made 56 full collections in two bench runs with the default, 6 with 100;
# 1,000 left only start-up's and did not lower the latency further.
FULL_COLLECTION_EVERY = 100


def freeze_startup_objects() -> None:
    """Collect what start-up left behind, then move every object that is left out of the
    collector's reach (its permanent generation), and make full collections rarer. Frozen
    objects are still freed as usual once nothing refers to them; only a cycle among them would
    stay, and start-up's do not die."""
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)


def frozen_after_startup(
    lifespan: Callable[[App], AbstractAsyncContextManager[Any]],
) -> Callable[[App], AbstractAsyncContextManager[Any]]:
    """`lifespan`, freezing the heap once its start-up is done (see freeze_startup_objects)."""

    @contextlib.asynccontextmanager
    async def frozen(app: App) -> AsyncIterator[Any]:
        async with lifespan(app) as state:
            freeze_startup_objects()
            yield state

    return frozen
