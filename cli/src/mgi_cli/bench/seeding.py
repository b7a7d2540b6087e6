"""Bringing the database up to a number of stored submissions, fast: through the inbound topic
at full speed, then waiting until scoring has caught up. What is seeded stays."""

import asyncio
import math
import time
from dataclasses import dataclass

from mgi_cli.bench.context import BenchContext
from mgi_cli.bench.kafka_io import publish_all
from mgi_cli.bench.progress import progress_bar
from mgi_cli.bench.service_metrics import handled_ok
from mgi_cli.bench.stored import stored_submissions
from mgi_cli.bench.workload import actor_per_domain
from mgi_shared.contracts.topics import SUBMISSIONS_ACCEPTED


@dataclass(frozen=True)
class SeedRun:
    level: int
    stored_before: int
    seeded: int
    seconds: float  # first publish until scoring had handled every seeded submission
    stored_after: int


async def seed_to(ctx: BenchContext, level: int) -> SeedRun:
    before = await stored_submissions(ctx.settings)
    missing = level - before
    if missing <= 0:  # an earlier run (or phase) stored enough already
        return SeedRun(level, before, 0, 0.0, before)
    expected = missing / ctx.pipeline_rate if ctx.pipeline_rate else 0.0
    if expected > ctx.options.max_seed:
        ctx.note(f"level {level:,} not reached: seeding {missing:,} more at the pipeline's "
                 f"{ctx.pipeline_rate:.0f}/s would take about {expected / 60:.0f} min "
                 f"(over --max-seed {ctx.options.max_seed:.0f} s); measured with {before:,} stored")  # fmt: skip
        return SeedRun(level, before, 0, 0.0, before)
    phase = f"seed{level}"
    number = math.ceil(missing / ctx.options.seed_per_assessment)
    assessments = await ctx.new_assessments(phase, number, actor_per_domain(ctx.catalogue))
    handled_before = await _scoring_handled(ctx)
    started = time.perf_counter()
    await publish_all(ctx.producer, ctx.stream(phase, assessments).take(missing),
                      f"seeding {missing} submissions (to {level} stored)")  # fmt: skip
    await _scoring_caught_up(ctx, handled_before + missing, missing)
    seconds = time.perf_counter() - started
    await ctx.idle(f"seeding {level}: the last events settle")
    return SeedRun(level, before, missing, seconds, await stored_submissions(ctx.settings))


async def _scoring_handled(ctx: BenchContext) -> float:
    return await handled_ok(ctx.http, ctx.settings, "scoring", SUBMISSIONS_ACCEPTED)


async def _scoring_caught_up(ctx: BenchContext, target: float, seeded: int) -> None:
    """Scoring's own count of handled accepted events (its /metrics, no database read)."""
    start, deadline = target - seeded, time.monotonic() + ctx.options.max_seed
    with progress_bar() as progress:
        task = progress.add_task("seeding: scoring catches up", total=seeded)
        while (handled := await _scoring_handled(ctx)) < target:
            progress.update(task, completed=handled - start)
            if time.monotonic() > deadline:
                ctx.note(f"seeding: scoring had handled {handled - start:.0f} of {seeded} "
                         f"after {ctx.options.max_seed:.0f} s; the rest queued behind")  # fmt: skip
                return
            await asyncio.sleep(0.5)
        progress.update(task, completed=seeded)
