"""A KoboToolbox REST Service posting to intake: mapping, retries, edits, refusals."""

import json
from typing import Any
from uuid import uuid4

import pytest

from mgi_shared.contracts import topics

pytestmark = pytest.mark.integration


async def test_a_kobo_submission_is_accepted_and_a_retry_is_stored_once(
    intake: Any, kobo_payload: Any
) -> None:
    assessment_id = await intake.assessment("IDN")
    submitter = await intake.key("submitter", "IDN")
    uuid = str(uuid4())
    payload = kobo_payload(uuid)
    url = f"/v1/integrations/kobo/{assessment_id}"
    first = await intake.http.post(url, json=payload, headers=submitter)
    assert (first.status_code, first.json()) == (202, {"submission_id": uuid, "status": "accepted"})
    retry = await intake.http.post(url, json=payload, headers=submitter)
    assert retry.status_code == 200
    stored = await intake.settled("submissions", uuid)
    assert json.loads(stored["raw"]) == payload  # Kobo's own fields kept
    assert stored["submitted_at"].isoformat() == "2023-05-10T04:30:00+00:00"
    events = await intake.events(topics.SUBMISSIONS_ACCEPTED, submission_id=uuid)
    assert len(events) == 1
    data = events[0]["data"]
    assert data["source"] == "kobo"
    assert [(a["indicator"], a["value"]) for a in data["answers"]] == [
        ("RGT-1.01", "yes"),
        ("RGT-1.02", "partial"),
    ]
    assert data["answers"][0]["evidence"].startswith("Law No. 18/2017")


async def test_an_edited_submission_supersedes_the_original(intake: Any, kobo_payload: Any) -> None:
    assessment_id = await intake.assessment("IDN")
    original, edited = str(uuid4()), str(uuid4())
    url = f"/v1/integrations/kobo/{assessment_id}"
    assert (
        await intake.http.post(url, json=kobo_payload(original), headers=intake.as_admin())
    ).status_code == 202
    edit = kobo_payload(edited, answers={"rights/RGT-1.01": "no"}) | {
        "meta/deprecatedID": f"uuid:{original}"
    }
    assert (await intake.http.post(url, json=edit, headers=intake.as_admin())).status_code == 202
    await intake.settled("submissions", edited)
    events = await intake.events(topics.SUBMISSIONS_ACCEPTED, submission_id=edited)
    assert events[0]["data"]["supersedes"] == original


async def test_an_edit_cannot_replace_another_actors_submission(
    intake: Any, kobo_payload: Any
) -> None:
    codes = ["RGT-1.01", "RGT-1.02"]
    assessment_id = await intake.assessment("IDN", actors={"idn-mofa": codes, "idn-moh": codes})
    original, intruder = str(uuid4()), str(uuid4())
    url = f"/v1/integrations/kobo/{assessment_id}"
    assert (
        await intake.http.post(url, json=kobo_payload(original), headers=intake.as_admin())
    ).status_code == 202
    edit = kobo_payload(intruder, actor_id="idn-moh") | {"meta/deprecatedID": f"uuid:{original}"}
    refused = await intake.http.post(url, json=edit, headers=intake.as_admin())
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["detail"]] == ["meta/deprecatedID"]
    assert await intake.db.submissions.find_one({"_id": intruder}) is None


async def test_kobo_problems_are_named_by_the_form_fields(intake: Any, kobo_payload: Any) -> None:
    assessment_id = await intake.assessment("IDN")
    payload = kobo_payload(
        str(uuid4()), answers={"rights/RGT-1.01": "maybe", "government/GOV-1.01": "yes"}
    )
    answer = await intake.http.post(
        f"/v1/integrations/kobo/{assessment_id}", json=payload, headers=intake.as_admin()
    )
    assert answer.status_code == 422
    # The bad value and the unassigned indicator together, each under its form field.
    assert [e["field"] for e in answer.json()["detail"]] == [
        "rights/RGT-1.01",
        "government/GOV-1.01",
    ]
    assert answer.json()["detail"][0]["message"].startswith("'maybe' is not one of yes")
    payload = kobo_payload(str(uuid4()), answers={"government/GOV-1.01": "yes"})
    answer = await intake.http.post(
        f"/v1/integrations/kobo/{assessment_id}", json=payload, headers=intake.as_admin()
    )
    assert [e["field"] for e in answer.json()["detail"]] == ["government/GOV-1.01"]
    unknown = await intake.http.post(
        f"/v1/integrations/kobo/IDN-{uuid4().hex}", json=payload, headers=intake.as_admin()
    )
    assert [e["field"] for e in unknown.json()["detail"]] == ["assessment_id"]


async def test_a_field_kept_only_in_the_raw_payload_may_hold_any_json_string(
    intake: Any, kobo_payload: Any
) -> None:
    """A lone surrogate (JSON's \\ud800, which UTF-8 cannot carry) in a field that is not an
    answer is stored escaped; an unknown extra field is kept, not refused."""
    assessment_id = await intake.assessment("IDN")
    uuid = str(uuid4())
    payload = kobo_payload(uuid) | {"identification/note": "\ud800", "extra/anything": [1, 2]}
    headers = {**intake.as_admin(), "content-type": "application/json"}
    url = f"/v1/integrations/kobo/{assessment_id}"
    answer = await intake.http.post(url, content=json.dumps(payload), headers=headers)
    assert answer.status_code == 202, answer.text
    stored = await intake.db.submissions.find_one({"_id": uuid})
    assert json.loads(stored["raw"]) == payload
