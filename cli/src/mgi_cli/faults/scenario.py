"""One scenario: fresh assessments, a stream of submissions, the fault mid-stream while two
assessments are walked to validation, then the wait for recovery and the audit."""

import asyncio
import time

from mgi_cli.bench.assessments import create_assessments
from mgi_cli.bench.progress import progress_bar
from mgi_cli.bench.workload import BenchAssessment, Json, SubmissionStream, actor_per_domain
from mgi_cli.console import console
from mgi_cli.faults.audit import Audit, audit, results_of, wait_recovered
from mgi_cli.faults.context import FaultContext
from mgi_cli.faults.injections import INJECTIONS, Injected
from mgi_cli.faults.options import LEADER_KILLS, LEADER_SCENARIO
from mgi_cli.faults.poison import rejected_positions
from mgi_cli.faults.sending import Sender, Sent
from mgi_cli.faults.topic_log import read_topic
from mgi_cli.faults.walk import walk_to_validated
from mgi_shared.contracts.topics import SUBMISSIONS_REJECTED

WALKED = 2  # assessments walked to validation, so that they get published
FAULT_AT = 0.3  # share of the main stream acknowledged before the fault
# Five kills take a while: the stream is spread over them, so every kill is under load.
SECONDS_PER_LEADER_KILL = 20.0


async def run_scenario(ctx: FaultContext, name: str) -> Audit:
    options = ctx.options
    console.rule(f"scenario {name}")
    short = name.replace("-", "")[:12]
    assessments = [
        BenchAssessment(f"XBM-{ctx.run_id}-{short}-{i:02d}", actor_per_domain(ctx.catalogue))
        for i in range(options.assessments)
    ]
    await create_assessments(ctx.client, assessments, ctx.catalogue.version, name)
    walked, streamed = assessments[:WALKED], assessments[WALKED:]
    early_count = options.submissions * WALKED // options.assessments
    early = SubmissionStream(f"{ctx.run_id}-{short}-v", walked, ctx.catalogue).take(early_count)
    rest = SubmissionStream(f"{ctx.run_id}-{short}-s", streamed, ctx.catalogue).take(
        options.submissions - early_count
    )
    bodies: dict[str, Json] = {str(b["submission_id"]): b for b in early + rest}
    url = ctx.stack.settings.url_of("intake")
    sender = Sender(url, ctx.submitter_key, ctx.producer)
    leader = name == LEADER_SCENARIO
    rate = len(rest) / (LEADER_KILLS * SECONDS_PER_LEADER_KILL) if leader else None
    sent = Sent(fault_at=early_count + int((0.05 if leader else FAULT_AT) * len(rest)))
    deadline = time.monotonic() + options.max_wait + options.submissions / 5
    with progress_bar() as progress:
        task = progress.add_task(f"{name}: the assessments to validate", total=len(early))
        await sender.send_all(early, sent, deadline, lambda: progress.advance(task))
    await _scored(ctx, [a.assessment_id for a in walked], len(early), options.max_wait)
    injected = Injected()
    with progress_bar() as progress:
        task = progress.add_task(f"{name}: stream under the fault", total=len(rest))
        paced = Sender(url, ctx.submitter_key, ctx.producer, per_second=rate)
        stream = asyncio.create_task(
            paced.send_all(rest, sent, deadline, lambda: progress.advance(task))
        )
        reached = asyncio.create_task(sent.reached.wait())
        await asyncio.wait([stream, reached], return_when=asyncio.FIRST_COMPLETED)
        reached.cancel()
        walked_ids = [a.assessment_id for a in walked]
        walk = asyncio.create_task(walk_to_validated(ctx.client, walked_ids, deadline))
        await INJECTIONS[name](ctx, assessments, injected)
        fault_over = time.monotonic()
        await asyncio.gather(stream, walk)
    recovered = await wait_recovered(ctx, assessments, walked_ids, sent, options.max_wait)
    if recovered and injected.poison:
        recovered = await _poison_rejected(ctx, injected, options.max_wait)
    recovery = time.monotonic() - fault_over if recovered else None
    portal_refused = ctx.portal.refused
    found = await audit(ctx, assessments, walked_ids, sent, bodies, injected.poison, recovery)
    found.notes += injected.notes
    found.notes.append(f"clients sent again {sent.retries} times until acknowledged")
    if name == "portal-503":
        found.notes.append(f"the portal answered 503 to {portal_refused} PUTs")
    return found


async def _scored(ctx: FaultContext, assessment_ids: list[str], count: int, timeout: float) -> None:  # fmt: skip
    """Waits until scoring applied `count` submissions over these assessments."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        views = [await results_of(ctx, a) for a in assessment_ids]
        if sum(int(v["submissions_applied"]) for v in views if v) >= count:
            return
        await asyncio.sleep(0.5)
    raise RuntimeError(f"scoring did not take in {count} submissions before the fault")


async def _poison_rejected(ctx: FaultContext, injected: Injected, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        positions = rejected_positions(await read_topic(ctx.bootstrap, SUBMISSIONS_REJECTED))
        if all((p.partition, p.offset) in positions for p in injected.poison):
            return True
        await asyncio.sleep(1.0)
    return False
