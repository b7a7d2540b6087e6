"""Creating the benchmark's assessments through intake's API, as an operator's script would."""

import asyncio
from collections.abc import Sequence

from mgi_cli.bench.progress import progress_bar
from mgi_cli.bench.workload import JURISDICTION, BenchAssessment, Catalogue
from mgi_cli.demo.api import PlatformClient

NATIONAL_CATALOGUE = "mgi-national-2024"  # the built-in 98-indicator catalogue
# Each assessment takes several calls in a row; a few assessments at once keep intake busy
# without queueing hundreds of requests on its one event loop.
SETUP_CONCURRENCY = 8


async def national_catalogue(client: PlatformClient) -> Catalogue:
    full = await client.intake("GET", f"/v1/catalogues/{NATIONAL_CATALOGUE}")
    return Catalogue(
        NATIONAL_CATALOGUE, tuple((i["code"], i["domain"]) for i in full["indicators"])
    )


async def create_assessments(
    client: PlatformClient, assessments: Sequence[BenchAssessment], version: str, label: str
) -> None:
    """Assessment, actor map, then `data_collection`: the only status taking submissions."""
    gate = asyncio.Semaphore(SETUP_CONCURRENCY)
    with progress_bar() as progress:
        task = progress.add_task(f"creating {label}", total=len(assessments))

        async def create(assessment: BenchAssessment) -> None:
            async with gate:
                await _create_one(client, assessment, version)
            progress.advance(task)

        await asyncio.gather(*(create(a) for a in assessments))


async def _create_one(client: PlatformClient, assessment: BenchAssessment, version: str) -> None:
    assessment_id = assessment.assessment_id
    await client.intake("POST", "/v1/assessments", json=assessment.body(version))
    for actor in assessment.actors:
        await client.intake(
            "PUT", f"/v1/assessments/{assessment_id}/actors/{actor.actor_id}", json=actor.body()
        )
    await client.intake(
        "POST", f"/v1/assessments/{assessment_id}/status", json={"status": "data_collection"}
    )


async def submitter_key(client: PlatformClient, run_id: str) -> str:
    """A key scoped to the benchmark's jurisdiction; kept in memory, never printed."""
    created = await client.intake("POST", "/v1/api-keys", json={
        "role": "submitter", "jurisdictions": [JURISDICTION["code"]], "label": f"bench {run_id}"})  # fmt: skip
    return str(created["key"])
