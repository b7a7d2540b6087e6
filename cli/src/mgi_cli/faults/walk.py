"""Two assessments walked to validation through a fault: each status move is tried again
until intake holds it (a move that was applied before its answer was lost shows as 409,
and the assessment's status then says it is done)."""

import asyncio
import time

import httpx

from mgi_cli.demo.api import PlatformClient

WORKFLOW = ["data_collection", "draft_profile", "consultation", "validated", "published"]
TO_VALIDATED = ["draft_profile", "consultation", "validated"]


async def status_of(client: PlatformClient, assessment_id: str) -> str | None:
    try:
        view = await client.intake("GET", f"/v1/assessments/{assessment_id}")
    except (httpx.HTTPError, RuntimeError):
        return None
    return str(view["status"])


async def move(client: PlatformClient, assessment_id: str, target: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            await client.intake("POST", f"/v1/assessments/{assessment_id}/status",
                                json={"status": target})  # fmt: skip
            return
        except (httpx.HTTPError, RuntimeError):
            status = await status_of(client, assessment_id)
            if status in WORKFLOW and WORKFLOW.index(status) >= WORKFLOW.index(target):
                return
            await asyncio.sleep(0.5)
    raise RuntimeError(f"{assessment_id} could not be moved to {target} in time")


async def walk_to_validated(client: PlatformClient, assessment_ids: list[str], deadline: float) -> None:  # fmt: skip
    for assessment_id in assessment_ids:
        for target in TO_VALIDATED:
            await move(client, assessment_id, target, deadline)
