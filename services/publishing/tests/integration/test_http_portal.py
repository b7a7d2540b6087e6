"""The HTTP portal client against a real local HTTP server: retried 503 and 429 (with its
Retry-After honoured), a permanent 400, an unreachable portal, and the headers it sends."""

import time
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr

from mgi_publishing.adapters.http_portal import HttpPortal
from mgi_publishing.domain.profile import build_profile
from mgi_publishing.domain.state import AssessmentInfo
from mgi_publishing.testing import results
from mgi_publishing.testing_http import PORTAL_PORT, PortalScript, portal_app
from mgi_shared.contracts.payloads import JurisdictionData
from mgi_shared.contracts.profile import Profile
from mgi_shared.testing.apps import serving

pytestmark = pytest.mark.integration
URL = f"http://127.0.0.1:{PORTAL_PORT}"


def profile(aid: str, revision: int = 5) -> Profile:
    info = AssessmentInfo(jurisdiction=JurisdictionData(code="MEX", name="México"),
                          scope="national", round=1, catalogue_version="mgi-national-2024",
                          languages=["es"])  # fmt: skip
    return build_profile(results(aid, revision), info, ["es"], datetime.now(UTC))


def client(**overrides: float) -> HttpPortal:
    options = {"budget_seconds": 20.0, "wait_initial": 0.05, "wait_max": 0.2, **overrides}
    return HttpPortal(URL, SecretStr("portal-secret-token"), max_attempts=6, **options)  # type: ignore[arg-type]


async def test_503_then_200_is_retried_with_the_same_idempotency_key() -> None:
    script = PortalScript(answers={"MEX-a": [(503, {}), (503, {})]})
    async with serving(portal_app(script), PORTAL_PORT):
        outcome = await client().put(profile("MEX-a"), None, "pub-a")
    assert outcome.succeeded and outcome.location == f"{URL}/profiles/MEX-a"
    assert [(a.status, a.http_status) for a in outcome.attempts] == [
        ("retrying", 503), ("retrying", 503), ("succeeded", 200)]  # fmt: skip
    received = script.of("MEX-a")
    assert {r.headers["idempotency-key"] for r in received} == {"MEX-a:5"}
    assert {r.headers["authorization"] for r in received} == {"Bearer portal-secret-token"}
    assert received[-1].body["assessment_id"] == "MEX-a"
    assert received[-1].body["jurisdiction"]["name"] == "México"


async def test_429_waits_what_retry_after_asks() -> None:
    script = PortalScript(answers={"MEX-b": [(429, {"Retry-After": "1"})]})
    async with serving(portal_app(script), PORTAL_PORT):
        outcome = await client().put(profile("MEX-b"), None, "pub-b")
    assert outcome.succeeded
    first, second = script.of("MEX-b")
    # The backoff alone would wait at most 0.2 s; the portal asked for a second.
    assert second.at - first.at >= 0.95
    assert [a.http_status for a in outcome.attempts] == [429, 200]


async def test_400_is_a_permanent_failure_tried_once() -> None:
    script = PortalScript(answers={"MEX-c": [(400, {})]})
    async with serving(portal_app(script), PORTAL_PORT):
        outcome = await client().put(profile("MEX-c"), None, "pub-c")
    assert not outcome.succeeded
    assert outcome.error == "portal answered 400 (permanent)"
    assert [(a.status, a.http_status) for a in outcome.attempts] == [("failed", 400)]
    assert len(script.of("MEX-c")) == 1


async def test_retries_end_within_the_time_budget() -> None:
    started = time.monotonic()
    # Nothing listens on the port: every attempt is a network error.
    outcome = await client(budget_seconds=1.0).put(profile("MEX-d"), None, "pub-d")
    assert time.monotonic() - started < 5
    assert not outcome.succeeded
    assert outcome.error is not None and "network error" in outcome.error
    assert outcome.attempts[-1].status == "failed"
    assert all(a.status == "retrying" for a in outcome.attempts[:-1])
    assert all("token" not in (a.error or "") for a in outcome.attempts)
