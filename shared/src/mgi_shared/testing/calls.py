"""What end-to-end tests do as a client of the running platform: wait for something to hold,
and call with a caller's trace to continue."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import uuid4

from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags


def wait_for(check: Any, timeout: float = 60) -> Any:
    """Poll `check` until it returns something truthy; fails the test after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


@contextmanager
def as_caller_in(trace_id: str) -> Iterator[dict[str, str]]:
    """Yields the `traceparent` header of a caller span in `trace_id`. The caller's trace is
    also made current: when an earlier test in this process has instrumented httpx, the
    instrumentation rewrites `traceparent` from the current context."""
    caller = uuid4().hex[:16]
    remote = SpanContext(int(trace_id, 16), int(caller, 16), is_remote=True,
                         trace_flags=TraceFlags(TraceFlags.SAMPLED))  # fmt: skip
    with trace.use_span(NonRecordingSpan(remote)):
        yield {"traceparent": f"00-{trace_id}-{caller}-01"}
