"""`mgi bench`: stack up, every measurement in turn, then the tables, bench.json and bench.png.

The order matters: the lowest stored level comes first, since every run stores what it
sends (a latency run at 100/s for 60 s adds 6,000 submissions); the pipeline and HTTP runs
then count towards the next level, which seeding completes.
"""

import asyncio
import os
import secrets
from datetime import UTC, datetime

import httpx
from rich.console import Console

from mgi_cli import stack
from mgi_cli.bench.assessments import national_catalogue, submitter_key
from mgi_cli.bench.chart import write_chart
from mgi_cli.bench.context import BenchContext
from mgi_cli.bench.floor import measure_floor
from mgi_cli.bench.http_intake import measure_http_intake
from mgi_cli.bench.kafka_io import submission_producer
from mgi_cli.bench.levels import measure_level, measure_one_busy_assessment
from mgi_cli.bench.options import BenchOptions
from mgi_cli.bench.pipeline import measure_pipeline
from mgi_cli.bench.report import printed, write_json
from mgi_cli.bench.rescore import measure_rescore
from mgi_cli.bench.results import BenchResults
from mgi_cli.bench.rss import stack_peaks
from mgi_cli.bench.watcher import PipelineWatcher
from mgi_cli.bench.workload import BenchAssessment, actor_per_domain
from mgi_cli.console import console, log
from mgi_cli.demo.api import PlatformClient

FLOOR_LATENCY_SECONDS = 5  # enough samples for a p99 of the raw loop at the offered rate
TABLE_WIDTH = 150


def run_bench(options: BenchOptions) -> int:
    try:
        results = asyncio.run(_bench(options))
    except (stack.StackError, RuntimeError, httpx.HTTPError) as error:
        console.print(f"[red]bench failed:[/red] {error}")
        return 1
    # Written to a file or a pipe, rich would fold the tables into 80 columns.
    wide = console if console.is_terminal else Console(width=TABLE_WIDTH)
    wide.print(printed(results))
    options.out.mkdir(parents=True, exist_ok=True)
    for path in (write_json(results, options.out), write_chart(results, options.out)):
        console.print(f"wrote {path}")
    return 0


async def _bench(options: BenchOptions) -> BenchResults:
    config = stack.StackConfig.from_environment()
    admin_key = await stack.up(config, log)
    run_id = secrets.token_hex(4)
    started_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    console.print(f"bench run {run_id}: assessments XBM-{run_id}-*, results in {options.out}")
    settings = config.settings
    watcher = PipelineWatcher(settings.kafka_bootstrap_servers, run_id)
    producer = submission_producer(settings.kafka_bootstrap_servers)
    async with PlatformClient(settings, admin_key) as client, httpx.AsyncClient(timeout=30) as http:
        await producer.start()
        await watcher.start()
        try:
            catalogue = await national_catalogue(client)
            ctx = BenchContext(config, settings, options, run_id, client, http, producer, watcher,
                               catalogue, await submitter_key(client, run_id))  # fmt: skip
            return await _measure_all(ctx, started_at)
        finally:
            await watcher.stop()
            await producer.stop()


async def _measure_all(ctx: BenchContext, started_at: str) -> BenchResults:
    options = ctx.options
    sample = ctx.stream("floor", [BenchAssessment("floor-sample", actor_per_domain(ctx.catalogue))])
    floor = await measure_floor(ctx.config, sample.take(60), options.floor_records, options.rate,
                                FLOOR_LATENCY_SECONDS, ctx.run_id)  # fmt: skip
    first_level = await measure_level(ctx, options.stored[0])
    assessments = await ctx.new_assessments(
        "pipeline", options.assessments, actor_per_domain(ctx.catalogue)
    )
    pipeline = await measure_pipeline(
        ctx, ctx.stream("pipeline", assessments), options.pipeline_submissions
    )
    ctx.pipeline_rate = pipeline.per_second
    await ctx.idle("pipeline: the last events settle")
    http_intake = await measure_http_intake(ctx, ctx.stream("http", assessments),
                                            options.http_submissions, options.http_clients)  # fmt: skip
    await ctx.idle("HTTP intake: scoring catches up")
    levels = [first_level] + [await measure_level(ctx, level) for level in options.stored[1:]]
    busy = await measure_one_busy_assessment(ctx)
    rescore = await measure_rescore(ctx, options.rescore_assessments, options.rescore_actors)
    return BenchResults(
        meta=_meta(ctx, started_at), floor=floor, pipeline=pipeline, http_intake=http_intake,
        levels=levels, busy=busy, rescore=rescore, rss=stack_peaks(ctx.config),
    )  # fmt: skip


def _meta(ctx: BenchContext, started_at: str) -> dict[str, object]:
    options = ctx.options
    return {
        "run_id": ctx.run_id, "started_at": started_at, "quick": options.quick,
        "cpus": os.cpu_count(), "load_average_1m": os.getloadavg()[0],
        "rate": options.rate, "duration": options.duration, "assessments": options.assessments,
        "stored_levels": list(options.stored), "kafka": ctx.settings.kafka_bootstrap_servers,
        "catalogue": ctx.catalogue.version, "max_wait": options.max_wait, "max_seed": options.max_seed,
        "notes": ctx.notes,
    }  # fmt: skip
