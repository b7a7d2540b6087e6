"""Contract section 2: keys shown once and hashed, 401 without a valid key, 403 out of scope."""

import hashlib
from typing import Any
from uuid import uuid4

import pytest

from mgi_shared.contracts import topics

pytestmark = pytest.mark.integration


async def test_a_new_key_is_shown_once_stored_hashed_and_announced(intake: Any) -> None:
    created = await intake.http.post(
        "/v1/api-keys",
        json={"role": "submitter", "jurisdictions": ["IDN", "IDN-JK"], "label": "MoFA"},
        headers=intake.as_admin(),
    )
    assert created.status_code == 201
    key, key_id = created.json()["key"], created.json()["key_id"]
    stored = await intake.settled("api_keys", key_id)
    assert stored["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(stored)
    announced = await intake.events(topics.API_KEYS, key_id=key_id)
    assert len(announced) == 1
    assert announced[0]["data"]["role"] == "submitter"
    assert key not in str(announced)
    reader = {"Authorization": f"Bearer {key}"}
    assert (await intake.http.get("/v1/catalogues", headers=reader)).status_code == 200


async def test_key_requests_are_validated(intake: Any) -> None:
    bad = await intake.http.post(
        "/v1/api-keys",
        json={"role": "boss", "jurisdictions": ["indonesia"]},
        headers=intake.as_admin(),
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["detail"]} == {"role"}
    unscoped = await intake.http.post(
        "/v1/api-keys", json={"role": "submitter"}, headers=intake.as_admin()
    )
    assert [e["field"] for e in unscoped.json()["detail"]] == ["jurisdictions"]


ROUTES = [
    ("POST", "/v1/api-keys", {"role": "admin"}),
    ("POST", "/v1/assessments", {}),
    ("GET", "/v1/assessments/{id}", None),
    ("PUT", "/v1/assessments/{id}/actors/a1", {}),
    ("POST", "/v1/assessments/{id}/status", {"status": "draft_profile"}),
    ("POST", "/v1/submissions", {}),
    ("POST", "/v1/integrations/kobo/{id}", {}),
    ("GET", "/v1/catalogues", None),
    ("GET", "/v1/catalogues/mgi-national-2024", None),
    ("POST", "/v1/catalogues", {}),
]


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer not-a-key", "Bearer mgi_0011223344556677_forged", "Basic abc"],
)
async def test_every_route_needs_a_valid_key(intake: Any, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    for method, path, body in ROUTES:
        url = path.format(id="IDN-2023-national")
        answer = await intake.http.request(method, url, json=body, headers=headers)
        assert answer.status_code == 401, (method, url, answer.text)


async def test_roles_and_jurisdictions_are_enforced(intake: Any) -> None:
    assessment_id = await intake.assessment("IDN", status="launched")
    idn_submitter = await intake.key("submitter", "IDN")
    phl_submitter = await intake.key("submitter", "PHL")
    phl_reviewer = await intake.key("reviewer", "PHL")
    admin_only = [
        ("POST", "/v1/api-keys", {"role": "admin"}),
        ("POST", "/v1/assessments", intake.assessment_body(f"IDN-{uuid4().hex[:8]}")),
        ("PUT", f"/v1/assessments/{assessment_id}/actors/a1",
         {"name": "x", "cluster": "rights", "indicators": ["RGT-1.01"]}),
    ]  # fmt: skip
    for method, url, body in admin_only:
        answer = await intake.http.request(method, url, json=body, headers=idn_submitter)
        assert answer.status_code == 403, (method, url)
    status_url = f"/v1/assessments/{assessment_id}/status"
    move = {"status": "data_collection"}
    assert (await intake.http.post(status_url, json=move, headers=idn_submitter)).status_code == 403
    assert (await intake.http.post(status_url, json=move, headers=phl_reviewer)).status_code == 403
    read_url = f"/v1/assessments/{assessment_id}"
    assert (await intake.http.get(read_url, headers=phl_submitter)).status_code == 403
    assert (await intake.http.get(read_url, headers=idn_submitter)).status_code == 200


async def test_a_submitter_cannot_write_to_another_countrys_assessment(
    intake: Any, kobo_payload: Any
) -> None:
    assessment_id = await intake.assessment("IDN")
    phl = await intake.key("submitter", "PHL")
    body = intake.submission_body(assessment_id)
    answer = await intake.http.post("/v1/submissions", json=body, headers=phl)
    assert answer.status_code == 403
    kobo_uuid = str(uuid4())
    kobo = await intake.http.post(
        f"/v1/integrations/kobo/{assessment_id}", json=kobo_payload(kobo_uuid), headers=phl
    )
    assert kobo.status_code == 403
    # A local key of another country is no better than its country's.
    phl_local = await intake.key("submitter", "PHL-MNL")
    local = await intake.http.post("/v1/submissions", json=body, headers=phl_local)
    assert local.status_code == 403
    for submission_id in (body["submission_id"], kobo_uuid):
        assert await intake.db.submissions.find_one({"_id": submission_id}) is None
    # Nothing emitted: prove it after a later, accepted submission is out.
    later = intake.submission_body(assessment_id)
    ok = await intake.http.post("/v1/submissions", json=later, headers=intake.as_admin())
    assert ok.status_code == 202
    await intake.settled("submissions", later["submission_id"])
    emitted = await intake.events(topics.SUBMISSIONS_ACCEPTED, assessment_id=assessment_id)
    assert [e["data"]["submission_id"] for e in emitted] == [later["submission_id"]]
    count = await intake.http.get(f"/v1/assessments/{assessment_id}", headers=intake.as_admin())
    assert count.json()["counts"]["submissions"] == 1


async def test_a_country_key_covers_its_local_jurisdictions(intake: Any) -> None:
    idn = await intake.key("submitter", "IDN")
    assessment_id = f"IDN-JK-{uuid4().hex[:8]}"
    body = intake.assessment_body(assessment_id, "IDN-JK")
    body |= {"scope": "local", "catalogue_version": "mgi-local-2024"}
    body["jurisdiction"]["parent"] = "IDN"
    created = await intake.http.post("/v1/assessments", json=body, headers=intake.as_admin())
    assert created.status_code == 201
    assert (
        await intake.http.get(f"/v1/assessments/{assessment_id}", headers=idn)
    ).status_code == 200
