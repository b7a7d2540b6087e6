"""The demo's closing summary: per assessment where it stands, its domain scores, and what was
sent, heard and where to look."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from mgi_cli.demo.mailbox import Mailbox
from mgi_cli.demo.rollout import KOBO, AssessmentPlan
from mgi_cli.demo.sending import Sent
from mgi_cli.demo.tracing import TraceSeen
from mgi_cli.webhook_receiver import WebhookReceiver

DOMAIN_LABELS = {"rights": "RGT", "government": "GOV", "partnerships": "PAR",
                 "wellbeing": "WEL", "crises": "CRI", "safe_migration": "SAF"}  # fmt: skip


@dataclass(frozen=True)
class Played:
    plans: list[AssessmentPlan]
    views: dict[str, Any]  # intake's view of each assessment
    results: dict[str, Any]  # scoring's results of each
    sent: Sent
    receiver: WebhookReceiver
    mailbox: Mailbox | None
    portal: str  # the static portal's folder, or PORTAL_URL
    trace: TraceSeen | str  # one submission's trace, or where the spans went


def summary(played: Played) -> Group:
    return Group(_rollout(played), _scores(played), _pages(played), _traffic(played))


def _rollout(played: Played) -> Table:
    table = Table(title="MGI demo rollout: where each assessment stands")
    for column in ("assessment", "status", "complete", "conflicts", "since baseline"):
        table.add_column(column)
    for plan in played.plans:
        view, results = played.views[plan.assessment_id], played.results[plan.assessment_id]
        indicators = results["indicators"]
        open_conflicts = sum(1 for i in indicators if i["status"] == "conflict")
        resolved = sum(1 for i in indicators if i.get("resolved"))
        conflicts = f"{open_conflicts} open" + (f", {resolved} resolved" if resolved else "")
        table.add_row(plan.assessment_id, view["status"], f"{results['completeness']:.0%}",
                      conflicts, _change(results))  # fmt: skip
    return table


def _change(results: dict[str, Any]) -> str:
    comparison = results.get("comparison")
    if not comparison:
        return "-"
    changes = [d["change"] for d in comparison["domains"] if d["change"] is not None]
    if not changes:
        return "nothing comparable"
    mean = sum(changes) / len(changes)
    return f"{mean * 100:+.0f} pts vs round {comparison['previous_round']}"


def _page(portal: str, plan: AssessmentPlan) -> str:
    if portal.startswith(("http://", "https://")):
        return f"{portal.rstrip('/')}/profiles/{plan.assessment_id}"
    return str(Path(portal) / plan.jurisdiction / plan.assessment_id / "index.html")


def _pages(played: Played) -> Text:
    lines = ["profile pages:"] + [f"  {_page(played.portal, plan)}" for plan in played.plans]
    return Text("\n".join(lines))


def _scores(played: Played) -> Table:
    table = Table(title="Domain scores (0-1; - = nothing scored)")
    table.add_column("assessment")
    for label in DOMAIN_LABELS.values():
        table.add_column(label, justify="right")
    for plan in played.plans:
        by_domain = {d["domain"]: d["score"] for d in played.results[plan.assessment_id]["domains"]}
        table.add_row(plan.assessment_id, *(
            "-" if by_domain.get(d) is None else f"{by_domain[d]:.2f}" for d in DOMAIN_LABELS
        ))  # fmt: skip
    return table


def _traffic(played: Played) -> Text:
    sent, receiver = played.sent, played.receiver
    edits = sum(1 for p in played.plans for s in p.submissions if s.supersedes)
    lines = [
        f"submissions: {sent.by_path['http']} over HTTP, {sent.by_path['kafka']} on the Kafka "
        f"inbound topic, {sent.by_path[KOBO]} from KoboToolbox ({edits} an edit replacing an "
        "earlier one)",
        f"a submission sent twice ({sent.duplicate}) was answered 200 and stored once",
        f"unreadable records ({', '.join(sent.poison)}) went to mgi.submissions.rejected.v1",
        f"webhook: {len(receiver.events)} events received, every signature verified",
    ]
    if played.mailbox is not None:
        languages = sorted({m.language for m in played.mailbox.saved if m.language})
        lines.append(f"mail: {len(played.mailbox.saved)} messages ({', '.join(languages)}) "
                     f"saved in {played.mailbox.folder}")  # fmt: skip
    else:
        lines.append("mail: sent to the SMTP server configured (SMTP_HOST)")
    trace = played.trace
    if isinstance(trace, TraceSeen):
        lines.append(f"trace of submission {trace.submission_id}: {trace.trace_id}, {trace.spans} "
                     f"spans from {', '.join(trace.services)}; "
                     f"show it with `mgi trace {trace.submission_id}`")  # fmt: skip
    else:
        lines.append(f"traces: {trace}")
    return Text("\n".join(lines))
