"""Every accepted submission can be published: UTF-8 events, and a 413 for what cannot fit."""

from typing import Any

import pytest

from mgi_shared.contracts import topics
from mgi_shared.kafka.wire import MAX_EVENT_BYTES
from mgi_shared.testing.kafka import eventually

pytestmark = pytest.mark.integration


def with_sources(body: dict[str, Any], *sources: str) -> dict[str, Any]:
    answers = [{**body["answers"][0], "sources": list(sources)}, *body["answers"][1:]]
    return {**body, "answers": answers}


async def test_a_large_submission_in_arabic_is_accepted_and_published(intake: Any) -> None:
    assessment_id = await intake.assessment("IDN")
    # About 400 KiB of Arabic: 2 bytes a letter in UTF-8, but 6 once escaped as \\uXXXX,
    # which made such an event too large for the broker.
    # Each source at most 20,000 characters: eleven of them.
    laws = ["قانون حماية العمال المهاجرين " * 650] * 11
    body = with_sources(intake.submission_body(assessment_id), *laws)
    answer = await intake.http.post("/v1/submissions", json=body, headers=intake.as_admin())
    assert answer.status_code == 202, answer.text[:300]
    stored = await intake.settled("submissions", body["submission_id"])
    assert "outbox_set_aside" not in stored
    events = await eventually(
        lambda: intake.events(topics.SUBMISSIONS_ACCEPTED, submission_id=body["submission_id"]),
        timeout=30,
    )
    assert events[0]["data"]["answers"][0]["sources"] == laws


async def test_a_submission_whose_event_would_not_fit_is_413_and_not_stored(intake: Any) -> None:
    assessment_id = await intake.assessment("IDN")
    # Under the 1 MiB body limit, but over what one event may carry: 52 sources of 20,000
    # characters (the most one source may have), 1,040,000 bytes.
    body = with_sources(intake.submission_body(assessment_id), *["x" * 20_000] * 50)
    body["answers"][1]["sources"] = ["x" * 20_000] * 2
    assert MAX_EVENT_BYTES < 1_040_000 < 1024 * 1024
    answer = await intake.http.post("/v1/submissions", json=body, headers=intake.as_admin())
    assert answer.status_code == 413, answer.text[:300]
    problem = answer.json()["detail"][0]
    assert problem["field"] == "body"
    assert str(MAX_EVENT_BYTES) in problem["message"]
    assert await intake.db.submissions.find_one({"_id": body["submission_id"]}) is None
