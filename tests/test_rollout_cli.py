"""`mgi rollout` over a seeded rollout on real intake and scoring, with the key given."""

import asyncio
import random
import string
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from typer.testing import CliRunner

from mgi_cli.console import console
from mgi_cli.main import app
from mgi_shared.testing.kafka import eventually

pytestmark = pytest.mark.integration
CODES = ["RGT-1.01", "RGT-1.02"]


async def seed(services: Any, code: str, answers: dict[str, list[tuple[str, str]]]) -> str:
    """An assessment in data collection with two actors, and one submission per actor."""
    admin = services.as_admin()
    assessment_id = f"{code}-{uuid4().hex[:6]}-national"
    body = {"assessment_id": assessment_id, "scope": "national", "round": 1,
            "jurisdiction": {"code": code, "name": f"Country {code}", "parent": None},
            "catalogue_version": "mgi-national-2024", "languages": ["en"]}  # fmt: skip
    assert (await services.intake.post("/v1/assessments", json=body, headers=admin)).is_success
    for actor in ("mofa", "moh"):
        put = await services.intake.put(f"/v1/assessments/{assessment_id}/actors/{actor}",
                                        json={"name": actor, "cluster": "rights",
                                              "indicators": CODES}, headers=admin)  # fmt: skip
        assert put.is_success
    moved = await services.intake.post(f"/v1/assessments/{assessment_id}/status",
                                       json={"status": "data_collection"}, headers=admin)  # fmt: skip
    assert moved.is_success
    for actor, given in answers.items():
        submission = {"submission_id": str(uuid4()), "assessment_id": assessment_id,
                      "actor_id": actor, "submitted_at": "2026-11-20T09:30:00Z",
                      "answers": [{"indicator": i, "value": v} for i, v in given]}  # fmt: skip
        sent = await services.intake.post("/v1/submissions", json=submission, headers=admin)
        assert sent.status_code == 202, sent.text
    return assessment_id


async def test_rollout_table_and_page(
    intake_and_scoring: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = intake_and_scoring
    home, other = ("Q" + pair for pair in random.sample(
        [a + b for a in string.ascii_uppercase for b in string.ascii_uppercase], k=2))  # fmt: skip
    conflicted = await seed(services, home, {"mofa": [("RGT-1.01", "yes"), ("RGT-1.02", "no")],
                                             "moh": [("RGT-1.01", "no")]})  # fmt: skip
    quiet = await seed(services, other, {})

    async def scored() -> Any:
        answer = await services.scoring.get(f"/v1/assessments/{conflicted}/results",
                                            headers=services.as_admin())  # fmt: skip
        done = answer.status_code == 200 and answer.json().get("submissions_applied") == 2
        return answer.json() if done else None

    results = await eventually(scored, timeout=30)
    monkeypatch.setattr(console, "width", 220)
    page = tmp_path / "rollout.html"
    run = await asyncio.to_thread(CliRunner().invoke, app, ["rollout", "--html", str(page)],
                                  env=services.environment())  # fmt: skip
    assert run.exit_code == 0, run.output
    line = next(x for x in run.output.splitlines() if conflicted in x)
    percent = f"{results['completeness'] * 100:.0f}%"
    for cell in (home, "Data collection", percent, "2026-", "no"):
        assert cell in line, (cell, line)
    assert " 1 " in line  # one open conflict: RGT-1.01
    assert quiet in run.output
    html = page.read_text()
    assert f'data-assessment="{conflicted}"' in html and f'data-assessment="{quiet}"' in html
    assert 'class="conflicts">1<' in html

    # A reviewer's key shows that reviewer's jurisdictions only.
    created = await services.intake.post("/v1/api-keys", headers=services.as_admin(),
                                         json={"role": "reviewer", "jurisdictions": [home]})  # fmt: skip
    key = created.json()["key"]

    async def scoring_knows_the_key() -> bool | None:
        # Each service keeps its own replica of the keys, filled from Kafka: a moment's lag.
        answer = await services.scoring.get(f"/v1/assessments/{conflicted}/results",
                                            headers={"Authorization": f"Bearer {key}"})  # fmt: skip
        return True if answer.status_code == 200 else None

    await eventually(scoring_knows_the_key, timeout=30)
    key_file = tmp_path / "key"
    key_file.write_text(key)
    run = await asyncio.to_thread(CliRunner().invoke, app, ["rollout", "--key-file", str(key_file)],
                                  env=services.environment())  # fmt: skip
    assert run.exit_code == 0, run.output
    assert conflicted in run.output and quiet not in run.output
