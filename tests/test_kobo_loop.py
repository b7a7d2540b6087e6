"""The KoboToolbox loop, closed: an assessment's form exported by `mgi catalogue
export-xlsform`, converted by pyxform, a submission filled in as Kobo's REST Service sends it
(flat `group/question` JSON, paths read from the converted XForm), posted to intake's Kobo
route, and the results scoring computes from it. Intake and scoring run in-process on the
session's real broker and database, in an instance of their own."""

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from pyxform.xls2xform import convert
from typer.testing import CliRunner

from mgi_cli.commands_catalogue import app as catalogue_cli
from mgi_intake.main import create_app as intake_app
from mgi_intake.settings import IntakeSettings
from mgi_scoring.main import create_app as scoring_app
from mgi_scoring.settings import ScoringSettings
from mgi_shared.contracts.topics import SERVICES, all_topics
from mgi_shared.net import free_port
from mgi_shared.testing.apps import serving
from mgi_shared.testing.kafka import eventually, start_services_at_end

pytestmark = pytest.mark.integration
ADMIN = f"admin-{uuid4().hex}"
SIGNING = f"signing-{uuid4().hex}"
AS_ADMIN = {"Authorization": f"Bearer {ADMIN}"}
ACTORS = {
    "idn-mofa": ["RGT-1.01", "RGT-1.02", "PAR-1.01", "PAR-1.02"],
    "idn-mol": ["RGT-3.01", "RGT-3.02", "PAR-1.02"],
}


@dataclass
class Pipeline:
    intake_url: str
    intake: httpx.AsyncClient
    scoring: httpx.AsyncClient


@pytest.fixture
async def pipeline(infra: Any) -> AsyncIterator[Pipeline]:
    instance = f"kobo{uuid4().hex[:8]}"
    topics = [topic.name for topic in all_topics()]
    await start_services_at_end(infra.kafka, instance, SERVICES, topics)
    common = {"kafka_bootstrap_servers": infra.kafka, "mongodb_url": infra.mongodb_url,
              "mgi_data_dir": infra.data_dir, "mgi_instance": instance,
              "mgi_admin_token": ADMIN, "mgi_key_signing_secret": SIGNING,
              "mgi_outbox_sweep_seconds": 1.0, "mgi_retry_base_seconds": 0.1}  # fmt: skip
    intake_port, scoring_port = free_port(), free_port()
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(
            serving(intake_app(IntakeSettings(**common, intake_port=intake_port)), intake_port)
        )
        await stack.enter_async_context(
            serving(scoring_app(ScoringSettings(**common, scoring_port=scoring_port)), scoring_port)
        )
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30)
            )
            for port in (intake_port, scoring_port)
        ]
        yield Pipeline(f"http://127.0.0.1:{intake_port}", *clients)


async def test_a_kobo_submission_of_the_exported_form_reaches_the_results(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    assessment_id = await an_assessment_in_data_collection(pipeline.intake)
    form = tmp_path / "form.xlsx"
    exported = await asyncio.to_thread(
        CliRunner().invoke,
        catalogue_cli,
        ["export-xlsform", "mgi-national-2024", "--actor-map", assessment_id,
         "--out", str(form), "--intake-url", pipeline.intake_url],
        env={"MGI_ADMIN_TOKEN": ADMIN},
    )  # fmt: skip
    assert exported.exit_code == 0, exported.output
    # rich folds the line at the terminal's width, which a long temporary path reaches
    assert "6 of 98 indicators" in " ".join(exported.output.split())
    questions = indicator_questions(convert(xlsform=str(form)).xform)
    mofa_paths = {code: path for code, (path, askers) in questions.items() if "idn-mofa" in askers}
    assert mofa_paths == {"RGT-1.01": "rights/RGT-1.01", "RGT-1.02": "rights/RGT-1.02",
                          "PAR-1.01": "partnerships/PAR-1.01",
                          "PAR-1.02": "partnerships/PAR-1.02"}  # fmt: skip

    values = {"RGT-1.01": "yes", "RGT-1.02": "partial", "PAR-1.01": "no", "PAR-1.02": "yes"}
    first = kobo_payload(mofa_paths, values, "idn-mofa", "2026-11-20T08:00:00")
    submitter = await a_submitter_key(pipeline.intake)
    url = f"/v1/integrations/kobo/{assessment_id}"
    posted = await pipeline.intake.post(url, json=first, headers=submitter)
    assert posted.status_code == 202, posted.text
    assert posted.json()["submission_id"] == first["_uuid"]
    # Kobo retries a delivery it thinks failed: stored once.
    again = await pipeline.intake.post(url, json=first, headers=submitter)
    assert again.status_code == 200

    results = await results_where(pipeline.scoring, assessment_id, lambda r: r["completeness"] > 0)
    by_code = {i["indicator"]: i for i in results["indicators"]}
    assert {code: by_code[code]["value"] for code in values} == values
    assert (by_code["RGT-1.02"]["score"], by_code["PAR-1.01"]["score"]) == (0.5, 0.0)
    assert by_code["RGT-1.01"]["contributors"] == ["idn-mofa"]
    assert results["completeness"] == pytest.approx(4 / 98, abs=1e-6)
    rights = next(d for d in results["domains"] if d["domain"] == "rights")
    assert (rights["answered"], rights["score"]) == (2, 0.75)

    # The focal point edits the submission in Kobo: a new _uuid naming the one it replaces.
    edited = kobo_payload(mofa_paths, {**values, "PAR-1.01": "partial"}, "idn-mofa",
                          "2026-11-21T08:00:00", replaces=first["_uuid"])  # fmt: skip
    posted = await pipeline.intake.post(url, json=edited, headers=submitter)
    assert posted.status_code == 202, posted.text
    later = await results_where(
        pipeline.scoring,
        assessment_id,
        lambda r: (
            next(i for i in r["indicators"] if i["indicator"] == "PAR-1.01")["value"] == "partial"
        ),
    )
    assert later["revision"] > results["revision"]


def indicator_questions(xform: str) -> dict[str, tuple[str, set[str]]]:
    """From the converted XForm, as Kobo would read it: each indicator's payload path
    (`group/question`, the instance root left out) and the actors its `relevant` admits."""
    found = {}
    for nodeset, attributes in re.findall(r'<bind nodeset="/data/([^"]+)"([^>]*)/>', xform):
        code = nodeset.rsplit("/", 1)[-1]
        relevant = re.search(r'relevant="([^"]*)"', attributes)
        if "/" in nodeset and not code.endswith("_evidence") and relevant:
            found[code] = (nodeset, set(re.findall(r"'([^']+)'", relevant.group(1))))
    return found


def kobo_payload(
    paths: dict[str, str], values: dict[str, str], actor: str, at: str, replaces: str = ""
) -> dict[str, Any]:
    """One submission as a Kobo REST Service (type JSON) posts it: flat group/question keys
    and Kobo's own fields, which intake keeps in the raw payload and does not take as answers."""
    submission = str(uuid4())
    payload: dict[str, Any] = {
        "_id": 4711, "_uuid": submission, "_submission_time": at, "__version__": "vX1",
        "formhub/uuid": uuid4().hex, "meta/instanceID": f"uuid:{submission}",
        "start": f"{at}.000+07:00", "end": f"{at}.000+07:00", "language": "en",
        "actor_id": actor, "_status": "submitted_via_web", "_validation_status": {},
        "_attachments": [], "_geolocation": [None, None], "_tags": [], "_notes": [],
    }  # fmt: skip
    if replaces:
        payload["meta/deprecatedID"] = f"uuid:{replaces}"
    for code, path in paths.items():
        payload[path] = values[code]
        payload[f"{path}_evidence"] = f"Evidence for {code}"
    return payload


async def an_assessment_in_data_collection(intake: httpx.AsyncClient) -> str:
    assessment_id = f"IDN-{uuid4().hex[:10]}-national"
    body = {"assessment_id": assessment_id, "scope": "national", "round": 1,
            "jurisdiction": {"code": "IDN", "name": "Indonesia", "parent": None},
            "catalogue_version": "mgi-national-2024", "languages": ["en", "fr"]}  # fmt: skip
    created = await intake.post("/v1/assessments", json=body, headers=AS_ADMIN)
    assert created.status_code == 201, created.text
    for actor_id, codes in ACTORS.items():
        actor = {"name": actor_id, "cluster": "rights", "indicators": codes}
        put = await intake.put(f"/v1/assessments/{assessment_id}/actors/{actor_id}",
                               json=actor, headers=AS_ADMIN)  # fmt: skip
        assert put.status_code == 200, put.text
    moved = await intake.post(f"/v1/assessments/{assessment_id}/status",
                              json={"status": "data_collection"}, headers=AS_ADMIN)  # fmt: skip
    assert moved.status_code == 200, moved.text
    return assessment_id


async def a_submitter_key(intake: httpx.AsyncClient) -> dict[str, str]:
    body = {"role": "submitter", "jurisdictions": ["IDN"], "label": "kobo rest service"}
    created = await intake.post("/v1/api-keys", json=body, headers=AS_ADMIN)
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json()['key']}"}


async def results_where(scoring: httpx.AsyncClient, assessment_id: str, check: Any) -> Any:
    async def read() -> Any:
        answer = await scoring.get(f"/v1/assessments/{assessment_id}/results", headers=AS_ADMIN)
        return answer.json() if answer.status_code == 200 and check(answer.json()) else None

    return await eventually(read, timeout=60)
