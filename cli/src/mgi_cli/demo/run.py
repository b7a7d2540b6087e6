"""Runs the demo: stack up, rollout through intake and scoring, then a summary."""

import asyncio
import os
import time
from typing import Any

from rich.console import Group
from rich.progress import Progress
from rich.table import Table

from mgi_cli import stack
from mgi_cli.console import console, log
from mgi_cli.demo.api import PlatformClient
from mgi_cli.demo.rollout import AssessmentPlan, CatalogueView, build_rollout

WORKFLOW_TO_COLLECTION = ["data_collection"]
WORKFLOW_TO_VALIDATED = ["draft_profile", "consultation", "validated"]


def run_demo() -> int:
    config = stack.StackConfig.from_environment()
    try:
        admin_key = asyncio.run(stack.up(config, log))
        summary = asyncio.run(_rollout(config, admin_key))
    except (stack.StackError, RuntimeError) as error:
        console.print(f"[red]demo failed:[/red] {error}")
        return 1
    console.print(summary)
    portal = os.environ.get("PORTAL_URL") or config.data_dir / "portal" / "index.html"
    console.print(f"portal pages: {portal}")
    # The demo subscribes nobody yet: say so rather than point at an empty mailbox.
    console.print("mail: this demo subscribes nobody; subscriptions: see the README, Notifications")
    console.print(f"logs: {config.data_dir / 'logs'}; stop with `mgi stack down`")
    return 0


async def _rollout(config: stack.StackConfig, admin_key: str) -> Group:
    async with PlatformClient(config.settings, admin_key) as client:
        plans = build_rollout(*await _catalogues(client))
        await _set_up(client, plans)
        await _submit(client, plans)
        results = await _await_results(client, plans)
        for plan in plans:
            if plan.validate:
                await _advance(client, plan, WORKFLOW_TO_VALIDATED)
        await _await_published(client, [p for p in plans if p.validate])
        views = {
            p.assessment_id: await client.intake("GET", f"/v1/assessments/{p.assessment_id}")
            for p in plans
        }
    return _summary(plans, views, results)


async def _catalogues(client: PlatformClient) -> tuple[CatalogueView, CatalogueView]:
    listed = await client.intake("GET", "/v1/catalogues")
    views = {}
    for scope in ("national", "local"):
        version = next(c["version"] for c in listed if c["scope"] == scope)
        full = await client.intake("GET", f"/v1/catalogues/{version}")
        views[scope] = CatalogueView(
            version, scope, [(i["code"], i["domain"]) for i in full["indicators"]]
        )
    return views["national"], views["local"]


async def _set_up(client: PlatformClient, plans: list[AssessmentPlan]) -> None:
    """Assessments, actor maps and collection status; creating again is harmless (200)."""
    for plan in plans:
        await client.intake("POST", "/v1/assessments", json=plan.body)
        for actor_id, actor in plan.actors.items():
            await client.intake(
                "PUT", f"/v1/assessments/{plan.assessment_id}/actors/{actor_id}", json=actor
            )
        view = await client.intake("GET", f"/v1/assessments/{plan.assessment_id}")
        if view["status"] == "launched":
            await _advance(client, plan, WORKFLOW_TO_COLLECTION)


async def _advance(client: PlatformClient, plan: AssessmentPlan, steps: list[str]) -> None:
    view = await client.intake("GET", f"/v1/assessments/{plan.assessment_id}")
    for status in steps[steps.index(view["status"]) + 1 :] if view["status"] in steps else steps:
        await client.intake(
            "POST", f"/v1/assessments/{plan.assessment_id}/status", json={"status": status}
        )


async def _submit(client: PlatformClient, plans: list[AssessmentPlan]) -> None:
    """Every third submission goes over Kafka, the rest over HTTP with a jurisdiction's key."""
    keys = {}
    for plan in plans:
        if plan.jurisdiction not in keys:
            created = await client.intake("POST", "/v1/api-keys", json={
                "role": "submitter", "jurisdictions": [plan.jurisdiction], "label": f"demo {plan.jurisdiction}"})  # fmt: skip
            keys[plan.jurisdiction] = created["key"]
    total = sum(len(p.submissions) for p in plans)
    with Progress(console=console) as progress:
        task = progress.add_task("submitting questionnaires", total=total)
        index = 0
        for plan in plans:
            for submission in plan.submissions:
                if index % 3 == 2:
                    await client.publish_submission(submission)
                else:
                    await client.intake(
                        "POST", "/v1/submissions", key=keys[plan.jurisdiction], json=submission
                    )
                index += 1
                progress.advance(task)


async def _await_results(client: PlatformClient, plans: list[AssessmentPlan]) -> dict[str, Any]:
    """Wait until scoring has applied every submission the demo sent."""
    results: dict[str, Any] = {}
    with Progress(console=console) as progress:
        task = progress.add_task("waiting for scoring", total=len(plans))
        for plan in plans:
            results[plan.assessment_id] = await _settled_results(client, plan)
            progress.advance(task)
    return results


async def _settled_results(
    client: PlatformClient, plan: AssessmentPlan, timeout: float = 120
) -> Any:
    """Poll until scoring's results reflect every submission of the plan."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            results = await client.scoring("GET", f"/v1/assessments/{plan.assessment_id}/results")
        except RuntimeError:  # 404 until scoring has the assessment's catalogue
            results = None
        if results is not None and results["submissions_applied"] >= len(plan.submissions):
            return results
        await asyncio.sleep(0.3)
    raise RuntimeError(f"results of {plan.assessment_id} were not complete within {timeout:.0f} s")


async def _await_published(
    client: PlatformClient, plans: list[AssessmentPlan], timeout: float = 60
) -> None:
    """Publishing puts each validated profile on the portal and intake then marks it
    `published`; the summary shows whether that happened within `timeout` (not an error)."""
    deadline = time.monotonic() + timeout
    waiting = {plan.assessment_id for plan in plans}
    while waiting and time.monotonic() < deadline:
        for assessment_id in sorted(waiting):
            view = await client.intake("GET", f"/v1/assessments/{assessment_id}")
            if view["status"] == "published":
                waiting.discard(assessment_id)
        if waiting:
            await asyncio.sleep(0.3)


DOMAIN_LABELS = {"rights": "RGT", "government": "GOV", "partnerships": "PAR",
                 "wellbeing": "WEL", "crises": "CRI", "safe_migration": "SAF"}  # fmt: skip


def _summary(plans: list[AssessmentPlan], views: dict[str, Any], results: dict[str, Any]) -> Group:
    rollout = Table(title="MGI demo rollout")
    for column in ("assessment", "status", "subm.", "complete", "rev.", "conflicts"):
        rollout.add_column(column)
    scores = Table(title="Domain scores (0-1; - = nothing scored yet)")
    scores.add_column("assessment")
    for label in DOMAIN_LABELS.values():
        scores.add_column(label, justify="right")
    for plan in plans:
        view, result = views[plan.assessment_id], results[plan.assessment_id]
        conflicts = sum(1 for i in result["indicators"] if i["status"] == "conflict")
        rollout.add_row(plan.assessment_id, view["status"], str(view["counts"]["submissions"]),
                        f"{result['completeness']:.0%}", str(result["revision"]), str(conflicts))  # fmt: skip
        by_domain = {d["domain"]: d["score"] for d in result["domains"]}
        scores.add_row(plan.assessment_id, *(
            "-" if by_domain.get(domain) is None else f"{by_domain[domain]:.2f}" for domain in DOMAIN_LABELS
        ))  # fmt: skip
    return Group(rollout, scores)
