"""POST /v1/submissions: stored once, emitted once, every refusal named."""

import asyncio
import json
from typing import Any
from uuid import uuid4

import pytest

from mgi_shared.contracts import topics

pytestmark = pytest.mark.integration


async def test_accepted_then_the_same_body_again_is_200_stored_and_emitted_once(
    intake: Any,
) -> None:
    assessment_id = await intake.assessment("IDN")
    submitter = await intake.key("submitter", "IDN")
    body = intake.submission_body(assessment_id)
    first = await intake.http.post("/v1/submissions", json=body, headers=submitter)
    assert (first.status_code, first.json()) == (
        202,
        {"submission_id": body["submission_id"], "status": "accepted"},
    )
    # Same JSON with keys in another order and other spacing is the same body.
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=2)
    again = await intake.http.post(
        "/v1/submissions",
        content=reordered,
        headers={**submitter, "content-type": "application/json"},
    )
    assert (again.status_code, again.json()) == (200, first.json())
    stored = await intake.settled("submissions", body["submission_id"])
    assert stored["actor_id"] == "idn-mofa"
    assert stored["received_at"] is not None
    assert json.loads(stored["raw"]) == body
    events = await intake.events(topics.SUBMISSIONS_ACCEPTED, submission_id=body["submission_id"])
    assert len(events) == 1
    event = events[0]
    assert (event["event_type"], event["assessment_id"], event["jurisdiction"]) == (
        "submission.accepted",
        assessment_id,
        "IDN",
    )
    assert event["data"]["source"] == "http"
    assert event["data"]["answers"][0]["sources"] == ["Law No. 18/2017"]
    read = await intake.http.get(f"/v1/assessments/{assessment_id}", headers=submitter)
    assert read.json()["counts"] == {"submissions": 1, "actors": 1, "actors_reporting": 1}


async def test_concurrent_copies_store_and_emit_once(intake: Any) -> None:
    assessment_id = await intake.assessment("IDN")
    body = intake.submission_body(assessment_id)
    answers = await asyncio.gather(
        *(
            intake.http.post("/v1/submissions", json=body, headers=intake.as_admin())
            for _ in range(6)
        )
    )
    assert sorted(a.status_code for a in answers) == [200] * 5 + [202]
    await intake.settled("submissions", body["submission_id"])
    events = await intake.events(topics.SUBMISSIONS_ACCEPTED, submission_id=body["submission_id"])
    assert len(events) == 1


async def test_the_same_id_with_another_body_is_409(intake: Any) -> None:
    assessment_id = await intake.assessment("IDN")
    body = intake.submission_body(assessment_id)
    assert (
        await intake.http.post("/v1/submissions", json=body, headers=intake.as_admin())
    ).status_code == 202
    other = {**body, "answers": [{"indicator": "RGT-1.01", "value": "no"}]}
    answer = await intake.http.post("/v1/submissions", json=other, headers=intake.as_admin())
    assert answer.status_code == 409
    assert body["submission_id"] in answer.json()["detail"]


async def test_every_problem_is_one_entry_naming_its_field(intake: Any) -> None:
    assessment_id = await intake.assessment(
        "IDN", actors={"idn-mofa": ["RGT-1.01"], "idn-bappenas": ["GOV-1.01"]}
    )
    answers = [
        {"indicator": "RGT-1.01", "value": "yes"},
        {"indicator": "GOV-1.01", "value": "yes"},
        {"indicator": "ZZZ-1.01", "value": "yes"},
    ]
    body = intake.submission_body(assessment_id, answers=answers)
    answer = await intake.http.post("/v1/submissions", json=body, headers=intake.as_admin())
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["detail"]] == [
        "answers[1].indicator",
        "answers[2].indicator",
    ]
    # Issue 14: the schema's problem (a bad value) no longer hides those with the assessment.
    mixed = [
        {"indicator": "ZZZ-1.01", "value": "yes"},
        {"indicator": "GOV-1.01", "value": "yes"},
        {"indicator": "RGT-1.01", "value": "maybe"},
    ]
    bad_value = intake.submission_body(assessment_id, answers=mixed)
    schema = await intake.http.post("/v1/submissions", json=bad_value, headers=intake.as_admin())
    assert schema.status_code == 422
    assert [f"{e['field']}: {e['message']}" for e in schema.json()["detail"]] == [
        "answers[0].indicator: unknown indicator code 'ZZZ-1.01'",
        "answers[1].indicator: indicator 'GOV-1.01' is not assigned to 'idn-mofa'",
        "answers[2].value: 'maybe' is not one of yes, partial, no, not_applicable, unknown",
    ]
    unknown_actor = intake.submission_body(assessment_id, actor_id="nobody")
    actor = await intake.http.post("/v1/submissions", json=unknown_actor, headers=intake.as_admin())
    assert [e["field"] for e in actor.json()["detail"]] == ["actor_id"]
    for submission in (body, bad_value, unknown_actor):
        assert await intake.db.submissions.find_one({"_id": submission["submission_id"]}) is None


async def test_an_unknown_field_is_refused_by_name(intake: Any) -> None:
    assessment_id = await intake.assessment("IDN")
    body = intake.submission_body(assessment_id, priority="high")
    body["answers"][0]["colour"] = "blue"
    answer = await intake.http.post("/v1/submissions", json=body, headers=intake.as_admin())
    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        {"field": "priority", "message": "unknown field (given 'high')"},
        {"field": "answers[0].colour", "message": "unknown field (given 'blue')"},
    ]


async def test_a_submitter_outside_the_jurisdiction_learns_nothing_of_the_assessment(
    intake: Any,
) -> None:
    """A body with a schema error is still checked against the key's scope first."""
    assessment_id = await intake.assessment("IDN")
    outsider = await intake.key("submitter", "KEN")
    body = intake.submission_body(assessment_id, answers=[{"indicator": "X-1", "value": "?"}])
    answer = await intake.http.post("/v1/submissions", json=body, headers=outsider)
    assert answer.status_code == 403


async def test_unknown_assessment_or_wrong_status_is_422(intake: Any) -> None:
    unknown = intake.submission_body(f"IDN-{uuid4().hex}")
    answer = await intake.http.post("/v1/submissions", json=unknown, headers=intake.as_admin())
    assert (answer.status_code, answer.json()["detail"][0]["field"]) == (422, "assessment_id")
    launched = await intake.assessment("IDN", status="launched")
    early = intake.submission_body(launched)
    answer = await intake.http.post("/v1/submissions", json=early, headers=intake.as_admin())
    assert answer.status_code == 422
    assert "data_collection" in answer.json()["detail"][0]["message"]


async def test_not_json_and_oversized_bodies(intake: Any) -> None:
    headers = {**intake.as_admin(), "content-type": "application/json"}
    broken = await intake.http.post("/v1/submissions", content=b"{not json", headers=headers)
    assert broken.status_code == 422
    assert set(broken.json()["detail"][0]) == {"field", "message"}
    huge = b'{"padding": "' + b"x" * (1024 * 1024) + b'"}'
    too_big = await intake.http.post("/v1/submissions", content=huge, headers=headers)
    assert too_big.status_code == 413

    async def chunks() -> Any:
        for _ in range(20):
            yield b"x" * 65536

    streamed = await intake.http.post("/v1/submissions", content=chunks(), headers=headers)
    assert streamed.status_code == 413


async def test_lone_surrogates_are_problems_not_server_errors(intake: Any) -> None:
    """JSON may escape a lone surrogate (\\ud800); UTF-8, the database and responses cannot
    carry one, so it must come back as a named problem."""
    assessment_id = await intake.assessment("IDN")
    headers = {**intake.as_admin(), "content-type": "application/json"}
    body = intake.submission_body(assessment_id)
    raw = json.dumps(body)[:-1] + ', "\\ud800": "\\udfff"}'
    answer = await intake.http.post("/v1/submissions", content=raw.encode(), headers=headers)
    assert answer.status_code == 422, answer.text
    # A key pydantic cannot read as text is a problem of the object holding it.
    assert "'\\ud800'" in answer.json()["detail"][0]["message"], answer.text
    body["answers"][0]["evidence"] = "\ud800"
    answer = await intake.http.post("/v1/submissions", content=json.dumps(body), headers=headers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["field"] == "answers[0].evidence"
