"""From answers to published profiles: scoring takes every submission in, a reviewer settles
the ministries' disagreement, each assessment goes through the workflow to validation, and
publishing puts the profiles on the portal."""

import asyncio
import time
from typing import Any

from mgi_cli.demo.api import PlatformClient
from mgi_cli.demo.progress import phase
from mgi_cli.demo.rollout import AssessmentPlan
from mgi_cli.demo.sending import DemoError
from mgi_cli.demo.setup import Keys

WORKFLOW_TO_VALIDATED = ["draft_profile", "consultation", "validated"]
POLL_SECONDS = 0.25


async def until(check: Any, timeout: float, failure: str) -> Any:
    """Poll the async `check` until it returns something truthy; DemoError after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := await check():
            return value
        await asyncio.sleep(POLL_SECONDS)
    raise DemoError(f"{failure} within {timeout:.0f} s")


async def scored(client: PlatformClient, plans: list[AssessmentPlan]) -> dict[str, Any]:
    """Each assessment's results once they reflect every submission the demo sent it."""
    results: dict[str, Any] = {}
    with phase("scoring recomputes the indicators", len(plans)) as advance:
        for plan in plans:

            async def complete(plan: AssessmentPlan = plan) -> Any:
                try:
                    found = await client.scoring(
                        "GET", f"/v1/assessments/{plan.assessment_id}/results"
                    )
                except RuntimeError:  # 404 until scoring has the assessment's catalogue
                    return None
                return found if found["submissions_applied"] >= plan.distinct_submissions else None

            failure = f"the results of {plan.assessment_id} did not reflect its submissions"
            results[plan.assessment_id] = await until(complete, 60, failure)
            advance()
    return results


async def resolve_conflict(
    client: PlatformClient, plan: AssessmentPlan, results: dict[str, Any], keys: Keys
) -> None:
    """The two ministries' answers disagree: scoring shows a conflict, and a reviewer of the
    jurisdiction settles it with a note that the published profile shows."""
    assert plan.conflict is not None
    code, first, second = plan.conflict
    with phase("a reviewer resolves the ministries' conflict", 1) as advance:
        indicator = next(i for i in results["indicators"] if i["indicator"] == code)
        if indicator["status"] != "conflict":
            raise DemoError(f"{code} of {plan.assessment_id}, answered 'yes' by {first} and 'no' "
                            f"by {second}, is {indicator['status']}, not in conflict")  # fmt: skip
        note = (f"FGD consultation: {first} and {second} agreed that the regulation is in force "
                "(see the minutes of the validation workshop)")  # fmt: skip
        resolved = await client.scoring(
            "POST", f"/v1/assessments/{plan.assessment_id}/indicators/{code}/resolution",
            key=keys.reviewer, json={"value": "yes", "note": note})  # fmt: skip
        advance()
    if resolved["indicator"]["status"] == "conflict":
        raise DemoError(f"the reviewer's resolution of {code} left it in conflict")


async def validate(client: PlatformClient, plans: list[AssessmentPlan]) -> None:
    """Draft profile, national consultation, validation: each step an assessment event."""
    with phase("draft profile -> consultation -> validated", len(plans)) as advance:
        for plan in plans:
            for status in WORKFLOW_TO_VALIDATED:
                await client.intake("POST", f"/v1/assessments/{plan.assessment_id}/status",
                                    json={"status": status})  # fmt: skip
            advance()


async def published(client: PlatformClient, plans: list[AssessmentPlan]) -> dict[str, Any]:
    """Publishing puts each validated profile on the portal, then intake marks it published."""
    views: dict[str, Any] = {}
    with phase("publishing puts the profiles on the portal", len(plans)) as advance:
        for plan in plans:

            async def done(plan: AssessmentPlan = plan) -> Any:
                view = await client.intake("GET", f"/v1/assessments/{plan.assessment_id}")
                return view if view["status"] == "published" else None

            failure = f"{plan.assessment_id} was not published"
            views[plan.assessment_id] = await until(done, 60, failure)
            advance()
    return views
