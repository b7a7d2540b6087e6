"""End to end through real processes: a submission over HTTP reaches scoring's results, and
one trace (continued from the caller's traceparent) holds spans of both services."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from mgi_shared.testing.calls import as_caller_in, wait_for
from mgi_shared.testing.spans import console_spans
from mgi_shared.testing.stack import running_stack

pytestmark = pytest.mark.e2e

# Below the ephemeral range (32768-60999), where an outgoing client socket could hold them.
PORTS = {"INTAKE_PORT": 28181, "SCORING_PORT": 28182,
         "PUBLISHING_PORT": 28183, "NOTIFICATIONS_PORT": 28184}  # fmt: skip
ADMIN = "e2e-admin-token-" + uuid4().hex


@dataclass
class Platform:
    env: dict[str, str]
    data_dir: Path

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.env[f'{service.upper()}_PORT']}"


@pytest.fixture(scope="module")
def platform(infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:  # type: ignore[no-untyped-def]
    data_dir = tmp_path_factory.mktemp("e2e")
    with running_stack(infra, data_dir, PORTS, ADMIN, "e2e") as env:
        yield Platform(env, data_dir)


def call(method: str, url: str, key: str = ADMIN, **kwargs: Any) -> httpx.Response:
    return httpx.request(method, url, headers={"Authorization": f"Bearer {key}",
                                               **kwargs.pop("headers", {})}, timeout=30, **kwargs)  # fmt: skip


def spans_in(log_file: Path) -> list[dict[str, Any]]:
    return console_spans(log_file.read_text(errors="replace"))


def test_submission_flows_to_results_in_one_trace(platform: Platform) -> None:
    intake, scoring = platform.url("intake"), platform.url("scoring")
    listed = call("GET", f"{intake}/v1/catalogues").json()
    catalogue = next(c["version"] for c in listed if c["scope"] == "national")
    codes = [
        i["code"] for i in call("GET", f"{intake}/v1/catalogues/{catalogue}").json()["indicators"]
    ][:3]
    assessment_id = f"IDN-e2e{uuid4().hex[:8]}-national"
    body = {"assessment_id": assessment_id, "jurisdiction": {"code": "IDN", "name": "Indonesia",
            "parent": None}, "scope": "national", "round": 1, "catalogue_version": catalogue,
            "languages": ["en"]}  # fmt: skip
    assert call("POST", f"{intake}/v1/assessments", json=body).status_code == 201
    actor = {"name": "Ministry of Foreign Affairs", "cluster": "partnerships", "indicators": codes}
    assert (
        call(
            "PUT", f"{intake}/v1/assessments/{assessment_id}/actors/idn-mofa", json=actor
        ).status_code
        == 200
    )
    call(
        "POST",
        f"{intake}/v1/assessments/{assessment_id}/status",
        json={"status": "data_collection"},
    )
    key = call("POST", f"{intake}/v1/api-keys", json={"role": "submitter", "jurisdictions": ["IDN"],
               "label": "e2e"}).json()["key"]  # fmt: skip

    trace_id = uuid4().hex
    submission = {"submission_id": str(uuid4()), "assessment_id": assessment_id, "actor_id": "idn-mofa",
                  "language": "en", "submitted_at": "2023-05-10T09:30:00Z",
                  "answers": [{"indicator": codes[0], "value": "yes"}, {"indicator": codes[1], "value": "partial"}]}  # fmt: skip
    with as_caller_in(trace_id) as traceparent:
        sent = call("POST", f"{intake}/v1/submissions", key=key, json=submission,
                    headers=traceparent)  # fmt: skip
    assert sent.status_code == 202, sent.text

    def scored() -> Any:
        """Results that include the submission (an earlier revision may predate it)."""
        response = call("GET", f"{scoring}/v1/assessments/{assessment_id}/results", key=key)
        if response.status_code != 200:
            return None
        results = response.json()
        return results if any(i["contributors"] for i in results["indicators"]) else None

    results = wait_for(scored)
    by_code = {i["indicator"]: i for i in results["indicators"]}
    assert by_code[codes[0]]["score"] == 1.0
    assert by_code[codes[1]]["score"] == 0.5
    assert by_code[codes[2]]["status"] == "missing"
    assert by_code[codes[0]]["contributors"] == ["idn-mofa"]
    assert results["submissions_applied"] == 1

    def traced_services() -> set[str]:
        services = set()
        for name in ("intake", "scoring"):
            for span in spans_in(platform.data_dir / "logs" / f"{name}.log"):
                if span["context"]["trace_id"] == f"0x{trace_id}":
                    services.add(span["resource"]["attributes"]["service.name"])
        return services if services == {"mgi-intake", "mgi-scoring"} else set()

    assert wait_for(traced_services, timeout=30) == {"mgi-intake", "mgi-scoring"}
