"""One submission's trace, as the local trace receiver kept it: the demo names it and the
command that shows it, once its spans from every service it crossed have arrived."""

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path

from mgi_cli.traces.store import read_spans
from mgi_cli.traces.tree import trace_ids_for

# Spans leave each service in batches (OTEL_BSP_SCHEDULE_DELAY, 5 s by default).
WAIT_SECONDS = 20
# What a submission that a webhook subscriber hears of passes through.
EXPECTED_SERVICES = {"mgi-intake", "mgi-scoring", "mgi-notifications"}


@dataclass(frozen=True)
class TraceSeen:
    submission_id: str
    trace_id: str
    spans: int
    services: list[str]


async def traced(folder: Path, submission_id: str) -> TraceSeen | None:
    """The submission's trace once it holds spans of intake, scoring and notifications; None
    if it did not within WAIT_SECONDS (the summary then says so)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        seen = _seen(folder, submission_id)
        if seen is not None and set(seen.services) >= EXPECTED_SERVICES:
            return seen
        if time.monotonic() > deadline:
            return seen
        await asyncio.sleep(1)


def _seen(folder: Path, submission_id: str) -> TraceSeen | None:
    spans = list(read_spans(folder)) if folder.is_dir() else []
    trace_ids = trace_ids_for(submission_id, spans)
    if not trace_ids:
        return None
    members = [span for span in spans if span["trace_id"] == trace_ids[0]]
    services = sorted({str(span.get("service", "")) for span in members})
    return TraceSeen(submission_id, trace_ids[0], len(members), services)
