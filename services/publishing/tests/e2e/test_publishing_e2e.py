"""End to end through real processes (`mgi stack up` on the session's broker and database):
an assessment validated at intake is published by publishing from scoring's results, intake
marks it `published`, and the validation request's trace runs through publishing's consumer
span, its portal write and the publication event that intake consumes."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from mgi_shared.testing.calls import as_caller_in, wait_for
from mgi_shared.testing.spans import console_spans
from mgi_shared.testing.stack import running_stack

pytestmark = pytest.mark.e2e

# This service's own test ports (28581-28589), apart from other sessions' fixed ones.
PORTS = {"INTAKE_PORT": 28586, "SCORING_PORT": 28587,
         "PUBLISHING_PORT": 28588, "NOTIFICATIONS_PORT": 28589}  # fmt: skip
ADMIN = "publishing-e2e-admin-" + uuid4().hex


@pytest.fixture(scope="module")
def stack(infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str], Path]]:  # type: ignore[no-untyped-def]
    data_dir = tmp_path_factory.mktemp("publishing-e2e")
    with running_stack(infra, data_dir, PORTS, ADMIN, "pub") as env:
        yield env, data_dir


def url(service: str) -> str:
    return f"http://127.0.0.1:{PORTS[f'{service.upper()}_PORT']}"


def call(method: str, address: str, **kwargs: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {ADMIN}", **kwargs.pop("headers", {})}
    return httpx.request(method, address, headers=headers, timeout=30, **kwargs)


def test_validated_assessment_is_published_in_the_validation_trace(stack) -> None:  # type: ignore[no-untyped-def]
    _, data_dir = stack
    intake = url("intake")
    catalogue = next(c for c in call("GET", f"{intake}/v1/catalogues").json()
                     if c["scope"] == "national")["version"]  # fmt: skip
    codes = [
        i["code"] for i in call("GET", f"{intake}/v1/catalogues/{catalogue}").json()["indicators"]
    ][:4]
    aid = f"IDN-pub{uuid4().hex[:8]}-national"
    body = {"assessment_id": aid, "jurisdiction": {"code": "IDN", "name": "Indonesia", "parent": None},
            "scope": "national", "round": 1, "catalogue_version": catalogue, "languages": ["en", "fr"]}  # fmt: skip
    assert call("POST", f"{intake}/v1/assessments", json=body).status_code == 201
    actor = {"name": "Ministry of Foreign Affairs", "cluster": "partnerships", "indicators": codes}
    assert (
        call("PUT", f"{intake}/v1/assessments/{aid}/actors/idn-mofa", json=actor).status_code == 200
    )
    assert call("POST", f"{intake}/v1/assessments/{aid}/status",
                json={"status": "data_collection"}).status_code == 200  # fmt: skip
    submission = {"submission_id": str(uuid4()), "assessment_id": aid, "actor_id": "idn-mofa",
                  "language": "en", "submitted_at": "2023-05-10T09:30:00Z",
                  "answers": [{"indicator": codes[0], "value": "yes"},
                              {"indicator": codes[1], "value": "partial"}]}  # fmt: skip
    assert call("POST", f"{intake}/v1/submissions", json=submission).status_code == 202
    wait_for(lambda: _applied(aid))
    for status in ("draft_profile", "consultation"):
        assert call("POST", f"{intake}/v1/assessments/{aid}/status",
                    json={"status": status}).status_code == 200  # fmt: skip
    portal = data_dir / "portal" / "IDN" / aid
    assert not portal.exists(), "nothing is published before validation"

    trace_id = uuid4().hex
    with as_caller_in(trace_id) as traceparent:
        validated = call("POST", f"{intake}/v1/assessments/{aid}/status",
                         json={"status": "validated"}, headers=traceparent)  # fmt: skip
    assert validated.status_code == 200, validated.text

    wait_for(lambda: call("GET", f"{intake}/v1/assessments/{aid}").json()["status"] == "published")
    profile = json.loads((portal / "profile.json").read_text())
    assert profile["assessment_id"] == aid and profile["revision"] >= 1
    assert (portal / "index.html").exists() and (portal / "index.fr.html").exists()
    assert aid in (data_dir / "portal" / "index.html").read_text()
    attempts = call("GET", f"{url('publishing')}/v1/publications", params={"assessment_id": aid})
    assert [a["status"] for a in attempts.json()] == ["succeeded"]

    def publishing_spans() -> set[str]:
        spans = console_spans((data_dir / "logs" / "publishing.log").read_text(errors="replace"))
        names = {s["name"] for s in spans if s["context"]["trace_id"] == f"0x{trace_id}"}
        # The consumer's span ends after its children, so it may be written last: wait for it
        # by name (a database span's name holds "publishing" too, through the database's).
        wanted = ("portal write", "mgi.assessments.changed.v1", "mgi.publications.v1")
        return names if all(any(n.startswith(w) for n in names) for w in wanted) else set()

    names = wait_for(publishing_spans, timeout=30)
    assert any(n.startswith("mgi.assessments.changed.v1") for n in names), names
    assert any(n.startswith("mgi.publications.v1") for n in names), names
    token_free = (data_dir / "logs" / "publishing.log").read_text(errors="replace")
    assert ADMIN not in token_free


def _applied(aid: str) -> bool:
    response = call("GET", f"{url('scoring')}/v1/assessments/{aid}/results")
    return response.status_code == 200 and response.json()["submissions_applied"] >= 1
