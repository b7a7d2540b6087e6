"""Pipeline throughput: submissions published at full speed on the inbound topic, until the
results.updated event of every one of them is out (counted by distinct triggering submission)."""

import time
from dataclasses import dataclass, field

from mgi_cli.bench.context import BenchContext
from mgi_cli.bench.cpu import cpu_ms_per, cpu_seconds
from mgi_cli.bench.kafka_io import publish_all
from mgi_cli.bench.workload import SubmissionStream


@dataclass(frozen=True)
class PipelineRun:
    submissions: int
    results_out: int  # distinct submissions whose results.updated arrived
    publish_seconds: float
    seconds: float  # first publish to the last results.updated
    per_second: float
    # CPU ms per submission of each component on its path, and "total": what the machine paid
    # for one, which other load on the machine does not change (unlike the throughput).
    cost_ms: dict[str, float] = field(default_factory=dict)


async def measure_pipeline(ctx: BenchContext, stream: SubmissionStream, count: int) -> PipelineRun:
    bodies = stream.take(count)
    cpu_before = cpu_seconds(ctx.config)
    started = time.perf_counter()
    await publish_all(ctx.producer, bodies, f"pipeline: publishing {count} on the inbound topic")
    published = time.perf_counter() - started
    arrivals, gave_up = await ctx.watcher.wait_for(
        [b["submission_id"] for b in bodies], "pipeline: results.updated out",
        ctx.options.max_wait,
    )  # fmt: skip
    if len(arrivals) < count:
        ctx.note(f"pipeline: {count - len(arrivals)} of {count} results not out after "
                 f"{ctx.options.max_wait:.0f} s; throughput counts those that were")  # fmt: skip
    seconds = (max(arrivals.values()) if len(arrivals) == count else gave_up) - started
    cost = cpu_ms_per(cpu_before, cpu_seconds(ctx.config), len(arrivals))
    return PipelineRun(count, len(arrivals), published, seconds, len(arrivals) / seconds, cost)
