"""The bench's own process, kept from adding pauses to what it times.

The bench notes when it sends each record and when each result arrives. A full collection of
Python's cycle collector stops the process while it walks every object: in this process, with
its seeded data, 100-160 ms, and each such pause added to the latency of every record sent
or received in it (measured: benchmarks/README.md, "Python's collector"). So while a latency
run times, the collector is off, as `timeit` turns it off while it times; it runs again,
once, when the run is over.
"""

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_off() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.collect()  # start the run with nothing pending
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect()
