"""HTTP intake throughput: POST /v1/submissions from concurrent clients, until all answered."""

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx

from mgi_cli.bench.context import BenchContext
from mgi_cli.bench.figures import LatencySummary
from mgi_cli.bench.progress import progress_bar
from mgi_cli.bench.workload import Json, SubmissionStream


@dataclass(frozen=True)
class HttpIntakeRun:
    submissions: int
    clients: int
    accepted: int  # 202 (or 200 for a repeat)
    failed: int
    seconds: float
    per_second: float
    response: LatencySummary  # time for intake to answer one POST


async def measure_http_intake(
    ctx: BenchContext, stream: SubmissionStream, count: int, clients: int
) -> HttpIntakeRun:
    bodies = iter(stream.take(count))
    url = f"{ctx.settings.url_of('intake')}/v1/submissions"
    headers = {"Authorization": f"Bearer {ctx.submitter_key}"}
    answered: list[float] = []
    failed = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        with progress_bar() as progress:
            task = progress.add_task(f"HTTP intake: {clients} clients POSTing", total=count)

            async def one_client(queue: Iterator[Json]) -> None:
                nonlocal failed
                for body in queue:  # one shared iterator: each body is sent once
                    sent = time.perf_counter()
                    response = await http.post(url, json=body, headers=headers)
                    if response.status_code in (200, 202):
                        answered.append(time.perf_counter() - sent)
                    else:
                        failed += 1
                    progress.advance(task)

            started = time.perf_counter()
            await asyncio.gather(*(one_client(bodies) for _ in range(clients)))
            seconds = time.perf_counter() - started
    return HttpIntakeRun(
        submissions=count, clients=clients, accepted=len(answered), failed=failed,
        seconds=seconds, per_second=len(answered) / seconds,
        response=LatencySummary.of_seconds(answered or [0.0]),
    )  # fmt: skip
