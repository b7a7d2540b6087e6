"""One fault at a time, as it happens to an operator; each returns when the fault is over
(the process restarted, the server back), which is when the recovery clock starts."""

import asyncio
import time
from collections.abc import Awaitable, Callable

from mgi_cli.bench.workload import BenchAssessment, SubmissionStream
from mgi_cli.faults.context import FaultContext
from mgi_cli.faults.leader import kill_leaders
from mgi_cli.faults.poison import Poison, poison_records, send_poison

# A supervisor (systemd, Kubernetes) restarts a killed process after a moment.
RESTART_AFTER_SECONDS = 2.0
POISON_SPACING_SECONDS = 1.0


class Injected:
    """What a fault left for the audit: poison records sent, if any."""

    def __init__(self) -> None:
        self.poison: list[Poison] = []
        self.notes: list[str] = []


Injection = Callable[[FaultContext, list[BenchAssessment], Injected], Awaitable[None]]


def _kill(service: str) -> Injection:
    async def inject(ctx: FaultContext, _: list[BenchAssessment], __: Injected) -> None:
        ctx.stack.kill(service)
        await asyncio.sleep(RESTART_AFTER_SECONDS)
        await ctx.stack.up()

    return inject


def _restart(component: str) -> Injection:
    async def inject(ctx: FaultContext, _: list[BenchAssessment], __: Injected) -> None:
        for name in ctx.stack.names_of(component):
            await asyncio.to_thread(ctx.stack.stop, name)
        await asyncio.sleep(RESTART_AFTER_SECONDS)
        await ctx.stack.up()

    return inject


async def _poison(ctx: FaultContext, assessments: list[BenchAssessment], injected: Injected) -> None:  # fmt: skip
    sample = SubmissionStream(f"{ctx.run_id}-poison", assessments, ctx.catalogue).next()
    unknown = f"XBM-{ctx.run_id}-no-such-assessment"
    for n in range(max(1, ctx.options.submissions // 500)):
        target = assessments[n % len(assessments)].assessment_id
        records = poison_records(target, unknown, sample, n)
        injected.poison += await send_poison(ctx.poison_producer, records)
        await asyncio.sleep(POISON_SPACING_SECONDS)


async def _smtp_down(ctx: FaultContext, _: list[BenchAssessment], __: Injected) -> None:
    await asyncio.to_thread(ctx.mail.down)
    await asyncio.sleep(ctx.options.outage_seconds)
    await asyncio.to_thread(ctx.mail.up)


async def _portal_503(ctx: FaultContext, _: list[BenchAssessment], __: Injected) -> None:
    ctx.portal.failing_until = time.monotonic() + ctx.options.outage_seconds
    await asyncio.sleep(ctx.options.outage_seconds)


async def _leader(ctx: FaultContext, _: list[BenchAssessment], injected: Injected) -> None:
    back = await kill_leaders(ctx.stack)
    seconds = ", ".join(f"{s:.0f}" for s in back)
    injected.notes.append(f"each kill until every replica was in sync again: {seconds} s")


INJECTIONS: dict[str, Injection] = {
    "kill-intake": _kill("intake"),
    "kill-scoring": _kill("scoring"),
    "kill-publishing": _kill("publishing"),
    "kill-notifications": _kill("notifications"),
    "kafka-restart": _restart("kafka"),
    "database-restart": _restart("mongodb"),
    "poison": _poison,
    "smtp-down": _smtp_down,
    "portal-503": _portal_503,
    "leader": _leader,
}

WHAT = {
    "kill-intake": "SIGKILL intake mid-stream, restart",
    "kill-scoring": "SIGKILL scoring mid-stream, restart",
    "kill-publishing": "SIGKILL publishing mid-stream, restart",
    "kill-notifications": "SIGKILL notifications mid-stream, restart",
    "kafka-restart": "Kafka (every broker) stopped and started mid-stream",
    "database-restart": "database stopped and started mid-stream",
    "poison": "poison records interleaved on the inbound topic",
    "smtp-down": "SMTP server down",
    "portal-503": "HTTP portal answering 503",
    "leader": "SIGKILL of the inbound partition's leader broker, five times",
}
