"""Reading the rollout from the services' APIs, with the caller's key and nothing else:
intake's list of assessments (every page), then scoring's results of each."""

from datetime import datetime
from typing import Any

from mgi_cli.rollout.model import RolloutRow
from mgi_cli.service_calls import ServiceCalls

PAGE = 500


def assessments(calls: ServiceCalls) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": PAGE}
    while True:
        page = calls.json("intake", "GET", "/v1/assessments", params=params)
        found.extend(page["items"])
        if not page["next"]:
            return found
        params["next"] = page["next"]


def results_of(calls: ServiceCalls, assessment_id: str) -> dict[str, Any] | None:
    """None when scoring has none yet (404) or this key may not read them (403)."""
    answer = calls.answer("scoring", "GET", f"/v1/assessments/{assessment_id}/results")
    if answer.status_code in (403, 404):
        return None
    if not answer.is_success:
        answer.raise_for_status()
    results: dict[str, Any] = answer.json()
    return results


def rollout(calls: ServiceCalls) -> list[RolloutRow]:
    return [row(a, results_of(calls, a["assessment_id"])) for a in assessments(calls)]


def row(assessment: dict[str, Any], results: dict[str, Any] | None) -> RolloutRow:
    counts = assessment["counts"]
    last = assessment.get("last_submission_at")
    conflicts = None
    if results is not None:
        conflicts = sum(1 for i in results["indicators"] if i["status"] == "conflict")
    return RolloutRow(
        assessment_id=assessment["assessment_id"],
        jurisdiction=assessment["jurisdiction"]["code"],
        jurisdiction_name=assessment["jurisdiction"]["name"],
        scope=assessment["scope"],
        round=assessment["round"],
        status=assessment["status"],
        submissions=counts["submissions"],
        actors=counts["actors"],
        actors_reporting=counts["actors_reporting"],
        last_submission_at=datetime.fromisoformat(last) if last else None,
        completeness=results["completeness"] if results is not None else None,
        conflicts=conflicts,
    )
