"""Assessments, actor maps and the status workflow over real HTTP, with their events."""

from typing import Any
from uuid import uuid4

import pytest

from mgi_shared.contracts import topics

NATIONAL = "mgi-national-2024"
pytestmark = pytest.mark.integration


async def test_create_is_idempotent_and_a_different_body_conflicts(intake: Any) -> None:
    assessment_id = f"IDN-{uuid4().hex[:10]}"
    body = intake.assessment_body(assessment_id)
    first = await intake.http.post("/v1/assessments", json=body, headers=intake.as_admin())
    again = await intake.http.post("/v1/assessments", json=body, headers=intake.as_admin())
    other = await intake.http.post(
        "/v1/assessments", json={**body, "round": 2}, headers=intake.as_admin()
    )
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    read = await intake.http.get(f"/v1/assessments/{assessment_id}", headers=intake.as_admin())
    assert read.json()["status"] == "launched"
    assert read.json()["counts"] == {"submissions": 0, "actors": 0, "actors_reporting": 0}
    await intake.settled("assessments", assessment_id)
    events = await intake.events(topics.ASSESSMENTS_CHANGED, assessment_id=assessment_id)
    assert [e["event_type"] for e in events] == ["assessment.created"]
    data = events[0]["data"]
    assert (data["status"], data["catalogue"]["version"]) == ("launched", NATIONAL)
    assert len(data["catalogue"]["indicators"]) == 98
    assert events[0]["jurisdiction"] == "IDN"


async def test_bad_jurisdiction_or_catalogue_is_422_by_field(intake: Any) -> None:
    body = intake.assessment_body(f"X-{uuid4().hex[:8]}", "Indonesia")
    body["catalogue_version"] = "nope"
    answer = await intake.http.post("/v1/assessments", json=body, headers=intake.as_admin())
    assert answer.status_code == 422
    fields = {item["field"] for item in answer.json()["detail"]}
    assert fields == {"jurisdiction.code", "catalogue_version"}


async def test_local_assessment_needs_a_local_catalogue_and_parent(intake: Any) -> None:
    body = intake.assessment_body(f"IDN-JK-{uuid4().hex[:8]}", "IDN-JK")
    body |= {"scope": "local", "catalogue_version": "mgi-local-2024"}
    missing_parent = await intake.http.post("/v1/assessments", json=body, headers=intake.as_admin())
    assert [e["field"] for e in missing_parent.json()["detail"]] == ["jurisdiction.parent"]
    body["jurisdiction"]["parent"] = "IDN"
    created = await intake.http.post("/v1/assessments", json=body, headers=intake.as_admin())
    assert created.status_code == 201, created.text


async def test_actor_with_an_unknown_indicator_is_refused(intake: Any) -> None:
    assessment_id = await intake.assessment(status="launched")
    actor = {"name": "MoFA", "cluster": "partnerships", "indicators": ["PAR-1.01", "NOPE-1"]}
    answer = await intake.http.put(
        f"/v1/assessments/{assessment_id}/actors/idn-mofa", json=actor, headers=intake.as_admin()
    )
    assert answer.status_code == 422
    assert answer.json() == {
        "detail": [{"field": "indicators[1]", "message": "unknown indicator code 'NOPE-1'"}]
    }


async def test_workflow_moves_one_step_at_a_time_and_emits_each_change(intake: Any) -> None:
    assessment_id = await intake.assessment(status="launched")
    url = f"/v1/assessments/{assessment_id}/status"
    skip = await intake.http.post(url, json={"status": "consultation"}, headers=intake.as_admin())
    assert skip.status_code == 409
    assert skip.json()["allowed_next"] == "data_collection"
    assert "data_collection" in skip.json()["detail"]
    reviewer = await intake.key("reviewer", "IDN")
    for step in ("data_collection", "draft_profile"):
        moved = await intake.http.post(url, json={"status": step}, headers=reviewer)
        assert moved.status_code == 200
        assert moved.json()["status"] == step
    back = await intake.http.post(url, json={"status": "data_collection"}, headers=reviewer)
    assert (back.status_code, back.json()["allowed_next"]) == (409, "consultation")
    publish = await intake.http.post(url, json={"status": "published"}, headers=intake.as_admin())
    assert publish.status_code == 409
    await intake.settled("assessments", assessment_id)
    events = await intake.events(topics.ASSESSMENTS_CHANGED, assessment_id=assessment_id)
    assert [
        (e["event_type"], e["data"]["status"], e["data"]["previous_status"]) for e in events
    ] == [
        ("assessment.created", "launched", None),
        ("assessment.status_changed", "data_collection", "launched"),
        ("assessment.status_changed", "draft_profile", "data_collection"),
    ]


async def test_catalogues_are_listed_read_and_registered(intake: Any) -> None:
    reader = await intake.key("submitter", "IDN")
    listed = (await intake.http.get("/v1/catalogues", headers=reader)).json()
    by_version = {c["version"]: c for c in listed}
    assert by_version[NATIONAL] == {
        "version": NATIONAL,
        "scope": "national",
        "indicator_count": 98,
        "languages": ["en", "fr", "es"],
        "illustrative": True,
    }
    assert by_version["mgi-local-2024"]["indicator_count"] == 87
    full = (await intake.http.get(f"/v1/catalogues/{NATIONAL}", headers=reader)).json()
    assert full["domains"][0]["domain"] == "rights"
    assert set(full["indicators"][0]) >= {"code", "domain", "sub_area", "text"}
    version = f"official-{uuid4().hex[:8]}"
    new = {**full, "version": version, "illustrative": False}
    assert (await intake.http.post("/v1/catalogues", json=new, headers=reader)).status_code == 403
    first = await intake.http.post("/v1/catalogues", json=new, headers=intake.as_admin())
    again = await intake.http.post("/v1/catalogues", json=new, headers=intake.as_admin())
    changed = {**new, "indicators": new["indicators"][:-1]}
    conflict = await intake.http.post("/v1/catalogues", json=changed, headers=intake.as_admin())
    assert (first.status_code, again.status_code, conflict.status_code) == (201, 200, 409)
    assert (await intake.http.get(f"/v1/catalogues/{version}", headers=reader)).status_code == 200
    missing = await intake.http.get("/v1/catalogues/nope", headers=reader)
    assert missing.status_code == 404


async def test_the_actor_map_is_listed_by_actor_id_for_keys_of_its_jurisdiction(
    intake: Any,
) -> None:
    actors = {"idn-mol": ["RGT-3.01"], "idn-mofa": ["PAR-1.01", "PAR-1.02"]}
    assessment_id = await intake.assessment(status="launched", actors=actors)
    url = f"/v1/assessments/{assessment_id}/actors"
    listed = await intake.http.get(url, headers=intake.as_admin())
    assert listed.status_code == 200, listed.text
    assert [(a["actor_id"], a["indicators"]) for a in listed.json()] == [
        ("idn-mofa", ["PAR-1.01", "PAR-1.02"]),
        ("idn-mol", ["RGT-3.01"]),
    ]
    assert listed.json()[0]["assessment_id"] == assessment_id
    outsider = await intake.key("reviewer", "MEX")
    assert (await intake.http.get(url, headers=outsider)).status_code == 403
    missing = await intake.http.get("/v1/assessments/nope-1/actors", headers=intake.as_admin())
    assert missing.status_code == 404
