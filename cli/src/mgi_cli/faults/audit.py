"""After a fault: what the platform holds against what it acknowledged and promised.

Everything is read from the outside: intake's database and API, scoring's results, the
topics from their first record, the run's own mail server, webhook receiver and portal.
"""

import asyncio
from collections import Counter
from dataclasses import dataclass, field

import httpx
from pymongo import AsyncMongoClient

from mgi_cli.bench.workload import BenchAssessment, Json
from mgi_cli.faults.context import FaultContext
from mgi_cli.faults.expected import expected_results, same_results
from mgi_cli.faults.poison import Poison, rejected_positions
from mgi_cli.faults.sending import Sent
from mgi_cli.faults.topic_log import read_topic
from mgi_cli.faults.walk import status_of
from mgi_shared.contracts.topics import (
    ASSESSMENTS_CHANGED,
    PUBLICATIONS,
    SUBMISSIONS_ACCEPTED,
    SUBMISSIONS_REJECTED,
)
from mgi_shared.settings import ServiceSettings

STATUS_MOVES_WALKED = 4  # draft_profile, consultation, validated, then published


@dataclass
class Audit:
    acknowledged: int = 0
    stored: int = 0
    stored_twice: int = 0
    lost: int = 0
    refused: int = 0  # refused outright (4xx) or never acknowledged: the stream's own problem
    results_same: int = 0
    results_total: int = 0
    webhooks_expected: int = 0
    webhooks_sent: int = 0
    webhooks_twice: int = 0
    mails_expected: int = 0
    mails_sent: int = 0
    mails_twice: int = 0
    validated: int = 0
    published: int = 0
    poison_sent: int = 0
    poison_rejected: int = 0
    recovery_seconds: float | None = None
    notes: list[str] = field(default_factory=list)

    def failures(self) -> list[str]:
        problems = []
        if self.lost:
            problems.append(f"{self.lost} lost")
        if self.stored_twice:
            problems.append(f"{self.stored_twice} stored twice")
        if self.refused:
            problems.append(f"{self.refused} refused or never acknowledged")
        if self.results_same != self.results_total:
            problems.append(
                f"results differ for {self.results_total - self.results_same} assessments"
            )
        if self.webhooks_twice or self.mails_twice:
            problems.append(
                f"notifications twice: {self.webhooks_twice} webhooks, {self.mails_twice} mails"
            )
        if self.webhooks_sent != self.webhooks_expected or self.mails_sent != self.mails_expected:
            problems.append("notifications missing")
        if self.published != self.validated:
            problems.append(f"{self.validated - self.published} validated but not published")
        if self.poison_rejected != self.poison_sent:
            problems.append(
                f"{self.poison_sent - self.poison_rejected} poison records not rejected"
            )
        if self.recovery_seconds is None:
            problems.append("did not recover in time")
        return problems  # fmt: skip


async def stored_ids(ctx: FaultContext, assessment_ids: list[str]) -> dict[str, set[str]]:
    """assessment id -> submission ids intake's database holds (a scan; the run is small)."""
    database = ServiceSettings(service_name="intake").database_name
    client: AsyncMongoClient[Json] = AsyncMongoClient(ctx.stack.settings.mongodb_url)
    try:
        found: dict[str, set[str]] = {a: set() for a in assessment_ids}
        cursor = client[database]["submissions"].find(
            {"assessment_id": {"$in": assessment_ids}}, {"_id": 1, "assessment_id": 1}
        )
        async for document in cursor:
            found[str(document["assessment_id"])].add(str(document["_id"]))
        return found
    finally:
        await client.close()


async def results_of(ctx: FaultContext, assessment_id: str) -> Json | None:
    try:
        found: Json = await ctx.client.scoring("GET", f"/v1/assessments/{assessment_id}/results")
        return found
    except (httpx.HTTPError, RuntimeError):
        return None


async def audit(
    ctx: FaultContext, assessments: list[BenchAssessment], walked: list[str], sent: Sent,
    bodies: dict[str, Json], poison: list[Poison], recovery: float | None,
) -> Audit:  # fmt: skip
    ids = [a.assessment_id for a in assessments]
    result = Audit(recovery_seconds=recovery, poison_sent=len(poison), validated=len(walked))
    result.acknowledged = len(sent.acknowledged)
    result.refused = len(sent.refused) + len(sent.given_up)
    held = await stored_ids(ctx, ids)
    every_stored = set().union(*held.values())
    result.stored = len(every_stored & set(sent.acknowledged))
    result.lost = len(set(sent.acknowledged) - every_stored)
    for assessment_id in ids:
        await _scored(ctx, result, assessment_id, held[assessment_id], bodies)
    accepted = [e for e in await read_topic(ctx.bootstrap, SUBMISSIONS_ACCEPTED) if e.get("assessment_id") in ids]  # fmt: skip
    events_per_submission = Counter(
        str(e["data"]["submission_id"]) for e in {str(e["event_id"]): e for e in accepted}.values()
    )
    result.stored_twice += sum(n - 1 for n in events_per_submission.values() if n > 1)
    _webhooks(ctx, result, ids, len(every_stored), len(walked))
    await _mails(ctx, result, ids)
    result.published = sum([await status_of(ctx.client, a) == "published" for a in walked])
    rejected = await read_topic(ctx.bootstrap, SUBMISSIONS_REJECTED)
    positions = rejected_positions(rejected)
    result.poison_rejected = sum(1 for p in poison if (p.partition, p.offset) in positions)
    return result


async def _scored(ctx: FaultContext, result: Audit, assessment_id: str, held: set[str], bodies: dict[str, Json]) -> None:  # fmt: skip
    view = await ctx.client.intake("GET", f"/v1/assessments/{assessment_id}")
    counted = int(view["counts"]["submissions"])
    result.stored_twice += max(0, counted - len(held))
    found = await results_of(ctx, assessment_id)
    result.results_total += 1
    if found is None:
        result.notes.append(f"{assessment_id}: no results")
        return
    applied = int(found["submissions_applied"])
    result.stored_twice += max(0, applied - len(held))
    result.lost += max(0, len(held) - applied)
    expected = expected_results(assessment_id, ctx.structure, (bodies[s] for s in held))
    if same_results(found, expected):
        result.results_same += 1


def _webhooks(ctx: FaultContext, result: Audit, ids: list[str], stored: int, walked: int) -> None:
    mine = [e for e in ctx.webhook.events if e.get("assessment_id") in ids]
    per_event = Counter(str(e["event_id"]) for e in mine)
    accepted_ids = {str(e["event_id"]): str(e["data"]["submission_id"]) for e in mine
                    if e["event_type"] == "submission.accepted"}  # fmt: skip
    per_submission = Counter(accepted_ids.values())
    result.webhooks_twice = sum(n - 1 for n in per_event.values() if n > 1)
    result.webhooks_twice += sum(n - 1 for n in per_submission.values() if n > 1)
    result.webhooks_sent = len(per_event)
    status_changes = len(ids) + STATUS_MOVES_WALKED * walked  # data_collection, the walks
    result.webhooks_expected = stored + status_changes + walked  # + publication.succeeded


async def _mails(ctx: FaultContext, result: Audit, ids: list[str]) -> None:
    """The mail subscription's events, as the topics hold them (ids of the source events)."""
    changed = await read_topic(ctx.bootstrap, ASSESSMENTS_CHANGED)
    published = await read_topic(ctx.bootstrap, PUBLICATIONS)
    wanted = {
        str(e["event_id"]) for e in changed
        if e.get("assessment_id") in ids and e.get("event_type") == "assessment.status_changed"
        and e["data"].get("previous_status") != e["data"].get("status")
    } | {
        str(e["event_id"]) for e in published
        if e.get("assessment_id") in ids and e.get("event_type") == "publication.succeeded"
    }  # fmt: skip
    mails = ctx.mail.mailbox.of_events(wanted)
    result.mails_expected = result.webhooks_expected - result.stored  # the same events, by mail
    if len(wanted) != result.mails_expected:
        result.notes.append(f"the topics hold {len(wanted)} status/publication events, "
                            f"{result.mails_expected} expected")  # fmt: skip
    result.mails_sent = len(mails)
    result.mails_twice = sum(n - 1 for n in mails.values() if n > 1)


async def wait_recovered(ctx: FaultContext, assessments: list[BenchAssessment], walked: list[str], sent: Sent, timeout: float) -> bool:  # fmt: skip
    """Polls until everything acknowledged is scored, the walked assessments are published and
    every expected notification arrived; False after `timeout`."""
    ids = [a.assessment_id for a in assessments]
    per_assessment = Counter(str(b["assessment_id"]) for b in sent.acknowledged.values())
    expected_webhooks = len(sent.acknowledged) + len(ids) + (STATUS_MOVES_WALKED + 1) * len(walked)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if await _caught_up(ctx, ids, walked, per_assessment, expected_webhooks):
            return True
        await asyncio.sleep(0.5)
    return False


async def _caught_up(ctx: FaultContext, ids: list[str], walked: list[str], per_assessment: Counter[str], expected_webhooks: int) -> bool:  # fmt: skip
    heard = {str(e["event_id"]) for e in ctx.webhook.events if e.get("assessment_id") in ids}
    if len(heard) < expected_webhooks:
        return False
    mail_events = {str(e["event_id"]) for e in ctx.webhook.events
                   if e.get("assessment_id") in ids and e["event_type"] != "submission.accepted"}  # fmt: skip
    if len(ctx.mail.mailbox.of_events(mail_events)) < len(mail_events):
        return False
    for assessment_id in walked:
        if await status_of(ctx.client, assessment_id) != "published":
            return False
    for assessment_id in ids:
        found = await results_of(ctx, assessment_id)
        if found is None or int(found["submissions_applied"]) < per_assessment[assessment_id]:
            return False
    return True
