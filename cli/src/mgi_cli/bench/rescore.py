"""A full rescore: national assessments fully answered, then scoring's POST /v1/rescore for each
(what `mgi rescore --assessment` sends), until every new revision is out on the broker.

A rescore recomputes from stored answers and writes only where the results changed; with the
same rules as when they were stored, nothing changes, so the figure is the time to load and
recompute them all (and the events of any revision that did come out).
"""

import asyncio
import time
from dataclasses import dataclass

import httpx

from mgi_cli.bench.context import BenchContext
from mgi_cli.bench.kafka_io import publish_all
from mgi_cli.bench.progress import progress_bar
from mgi_cli.bench.workload import ministries


@dataclass(frozen=True)
class RescoreRun:
    assessments: int
    indicators: int
    completeness: float  # of the first assessment before the rescore: 1.0 is fully answered
    changed: int  # assessments that got a new revision
    failed: int  # POSTs refused or unanswered (e.g. scoring had not taken the assessment in)
    post_seconds: float  # until the last POST answered
    seconds: float  # until the last new revision's results.updated was out


async def measure_rescore(ctx: BenchContext, number: int, actors: int) -> RescoreRun:
    cast = ministries(ctx.catalogue, actors)
    assessments = await ctx.new_assessments("national", number, cast)
    await publish_all(ctx.producer, ctx.stream("national", assessments).take(number * len(cast)),
                      f"rescore: answering {number} assessments fully")  # fmt: skip
    await ctx.idle("rescore: scoring applies the answers")
    ids = [a.assessment_id for a in assessments]
    completeness = await _completeness(ctx, ids[0])
    revisions_before = {i: ctx.watcher.revisions[i] for i in ids}
    changed: list[str] = []
    failed = 0
    with progress_bar() as progress:
        task = progress.add_task("rescore: POST /v1/rescore", total=number)
        started = time.perf_counter()
        for assessment_id in ids:
            try:
                answer = await ctx.client.scoring("POST", "/v1/rescore", json={"assessment_id": assessment_id})  # fmt: skip
                changed += answer["changed"]
            except (RuntimeError, httpx.HTTPError):  # a 404 or a timeout: counted, not fatal
                failed += 1
            progress.advance(task)
        posted = time.perf_counter() - started
    if failed:
        ctx.note(
            f"rescore: {failed} of {number} POSTs failed (not yet known to scoring, or timed out)"
        )
    await _revisions_out(ctx, changed, revisions_before)
    return RescoreRun(
        assessments=number, indicators=len(ctx.catalogue.indicators), completeness=completeness,
        changed=len(changed), failed=failed, post_seconds=posted,
        seconds=time.perf_counter() - started,
    )  # fmt: skip


async def _completeness(ctx: BenchContext, assessment_id: str) -> float:
    """0.0 when scoring does not have the assessment's results yet (a backlog ahead of it)."""
    try:
        results = await ctx.client.scoring("GET", f"/v1/assessments/{assessment_id}/results")
    except (RuntimeError, httpx.HTTPError):
        return 0.0
    return float(results["completeness"])


async def _revisions_out(ctx: BenchContext, changed: list[str], before: dict[str, int]) -> None:
    deadline = time.monotonic() + ctx.options.max_wait
    while any(ctx.watcher.revisions[i] <= before[i] for i in changed):
        if time.monotonic() > deadline:
            ctx.note(f"rescore: new revisions still not out after {ctx.options.max_wait:.0f} s")
            return
        await asyncio.sleep(0.05)
