"""Latency again once more submissions are stored, and inside one heavily answered assessment."""

from dataclasses import dataclass

from mgi_cli.bench.context import BenchContext
from mgi_cli.bench.latency import LatencyRun, measure_latency
from mgi_cli.bench.seeding import SeedRun, seed_to
from mgi_cli.bench.workload import actor_per_domain, ministries


@dataclass(frozen=True)
class LevelRun:
    seed: SeedRun
    run: LatencyRun


async def measure_level(ctx: BenchContext, level: int) -> LevelRun:
    """Seed up to `level`, then the same fixed load on fresh assessments as the base run."""
    seed = await seed_to(ctx, level)
    reached = seed.stored_after >= level
    label = (
        f"level {level:,} stored" if reached else f"{seed.stored_after:,} stored (not {level:,})"
    )
    run = await latency_on_fresh_assessments(ctx, f"stored{level}", label)
    return LevelRun(seed, run)


async def latency_on_fresh_assessments(ctx: BenchContext, phase: str, label: str) -> LatencyRun:
    options = ctx.options
    assessments = await ctx.new_assessments(
        phase, options.assessments, actor_per_domain(ctx.catalogue)
    )
    count = round(options.rate * options.duration)
    return await measure_latency(ctx, ctx.stream(phase, assessments), count, options.rate, label)


async def measure_one_busy_assessment(ctx: BenchContext) -> LatencyRun:
    """One assessment answered `rounds` times over by `ministries` actors, at the same rate:
    every submission lands on the same growing document and the same partition."""
    options = ctx.options
    actors = ministries(ctx.catalogue, options.ministries)
    (assessment,) = await ctx.new_assessments("busy", 1, actors)
    count = len(actors) * options.rounds
    label = f"1 assessment, {len(actors)} actors x {options.rounds}"
    return await measure_latency(ctx, ctx.stream("busy", [assessment]), count, options.rate, label)
