"""Latency at a fixed offered load: from our produce on the inbound topic to the
results.updated event it caused, as a consumer of that topic receives it, and to the webhook
notification of the submission, as a subscriber receives it."""

import asyncio
import time
from dataclasses import dataclass

from mgi_cli.bench.context import BenchContext
from mgi_cli.bench.cpu import cpu_ms_per, cpu_seconds
from mgi_cli.bench.figures import LatencySummary
from mgi_cli.bench.kafka_io import encoded
from mgi_cli.bench.notified import wait_for_notifications, webhook_subscriber
from mgi_cli.bench.pacing import paced
from mgi_cli.bench.progress import progress_bar
from mgi_cli.bench.service_metrics import Handling, handling_ms, submission_work
from mgi_cli.bench.stored import stored_submissions
from mgi_cli.bench.timing import collector_off
from mgi_cli.bench.workload import SubmissionStream
from mgi_shared.contracts.topics import SUBMISSIONS_INBOUND


@dataclass(frozen=True)
class LatencyRun:
    label: str
    stored: int  # submissions intake held when the run started
    offered: int
    offered_rate: float  # as achieved by our producer
    # Submissions whose results.updated had not come out when the wait gave up count with the
    # time waited so far, so with any missing the percentiles are lower bounds.
    latency: LatencySummary
    missing: int
    cost_ms: dict[str, float]  # CPU ms per submission of each process on its path, and total
    handling_ms: dict[str, float]  # wall ms per record in intake and scoring, waits included
    # Produce -> the subscriber's webhook POST of the submission (None: none arrived), and how
    # many notifications had not arrived when the wait gave up.
    notified: LatencySummary | None = None
    notifications_missing: int = 0


async def measure_latency(
    ctx: BenchContext, stream: SubmissionStream, count: int, rate: float, label: str
) -> LatencyRun:
    stored = await stored_submissions(ctx.settings)
    records = [(body["submission_id"], *encoded(body)) for body in stream.take(count)]
    work_before = await submission_work(ctx.http, ctx.settings)
    cpu_before = cpu_seconds(ctx.config)
    produced: dict[str, float] = {}
    pending = []
    async with webhook_subscriber(ctx.client) as subscriber:
        with collector_off():  # the bench's own pauses would count as latency
            with progress_bar() as progress:
                task = progress.add_task(f"{label}: offering {rate:g}/s", total=count)
                started = time.perf_counter()
                async for index in paced(count, rate):
                    submission_id, value, key = records[index]
                    produced[submission_id] = time.perf_counter()
                    pending.append(await ctx.producer.send(SUBMISSIONS_INBOUND, value, key=key))
                    progress.advance(task)
                offering = time.perf_counter() - started
            await asyncio.gather(*pending)
            arrivals, gave_up = await ctx.watcher.wait_for(
                produced, f"{label}: results.updated out", ctx.options.max_wait
            )
            notified = await wait_for_notifications(
                subscriber, produced, f"{label}: notifications sent", ctx.options.max_wait
            )
    work_after = await submission_work(ctx.http, ctx.settings)
    cpu_after = cpu_seconds(ctx.config)
    samples = [arrivals.get(s, gave_up) - sent for s, sent in produced.items()]
    if len(notified) < count:
        ctx.note(f"{label}: {count - len(notified)} of {count} notifications not sent after "
                 f"waiting {ctx.options.max_wait:.0f} s")  # fmt: skip
    if len(arrivals) < count:
        ctx.note(f"{label}: {count - len(arrivals)} of {count} results not out after waiting "
                 f"{ctx.options.max_wait:.0f} s; its percentiles are lower bounds")  # fmt: skip
    return LatencyRun(
        label=label,
        stored=stored,
        offered=count,
        offered_rate=count / offering if offering > 0 else rate,
        latency=LatencySummary.of_seconds(samples),
        missing=count - len(arrivals),
        # Per submission scoring handled meanwhile: a backlog from earlier steps, or one
        # left for later, neither inflates nor dilutes the figure.
        cost_ms=cpu_ms_per(cpu_before, cpu_after, _handled(work_before, work_after)),
        handling_ms=handling_ms(work_before, work_after),
        notified=LatencySummary.of_seconds([notified[s] - produced[s] for s in notified])
        if notified
        else None,
        notifications_missing=count - len(notified),
    )


def _handled(before: dict[str, Handling], after: dict[str, Handling]) -> int:
    return round(after["scoring"].records - before["scoring"].records)
