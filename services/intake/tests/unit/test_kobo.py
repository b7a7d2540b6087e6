from typing import Any

import pytest

from mgi_intake.domain.kobo import kobo_field_names, map_kobo
from mgi_intake.domain.parsing import parse_submission
from mgi_shared.problems import Problem

pytestmark = pytest.mark.unit

CODES = frozenset({"RGT-1.01", "RGT-1.02", "GOV-1.01"})
UUID = "5f8d2c1e-0b4e-4a52-b6c1-2f7f3b9a9e01"


def test_answers_come_from_indicator_questions_only(kobo_payload: Any) -> None:
    mapping = map_kobo(kobo_payload(UUID), "IDN-2023-national", CODES)
    parsed = parse_submission(mapping.body)
    assert parsed.submission is not None, parsed.problems
    submission = parsed.submission
    assert submission.submission_id == UUID
    assert submission.actor_id == "idn-mofa"
    assert submission.assessment_id == "IDN-2023-national"
    assert submission.submitted_at.isoformat() == "2023-05-10T04:30:00+00:00"  # UTC
    assert [(a.indicator, a.value.value) for a in submission.answers] == [
        ("RGT-1.01", "yes"),
        ("RGT-1.02", "partial"),
    ]
    first = submission.answers[0]
    assert first.evidence and first.evidence.startswith("Law No. 18/2017")
    assert first.sources == ["Law No. 18/2017", "Government Regulation 59/2021"]
    assert mapping.answer_fields == ["rights/RGT-1.01", "rights/RGT-1.02"]
    assert mapping.supersedes is None


def test_instance_id_stands_in_for_a_missing_uuid(kobo_payload: Any) -> None:
    payload = kobo_payload(UUID)
    del payload["_uuid"]
    assert map_kobo(payload, "A", CODES).body["submission_id"] == UUID


def test_an_edit_supersedes_the_deprecated_submission(kobo_payload: Any) -> None:
    payload = kobo_payload("new-uuid") | {"meta/deprecatedID": f"uuid:{UUID}"}
    assert map_kobo(payload, "A", CODES).supersedes == UUID


def test_submission_time_with_an_offset_is_kept(kobo_payload: Any) -> None:
    payload = kobo_payload(UUID) | {"_submission_time": "2023-05-10T11:30:00+07:00"}
    assert map_kobo(payload, "A", CODES).body["submitted_at"] == "2023-05-10T11:30:00+07:00"


def test_code_like_unknown_questions_become_answers_to_be_refused(kobo_payload: Any) -> None:
    payload = kobo_payload(UUID, answers={"rights/RGT-9.99": "yes"})
    assert [a["indicator"] for a in map_kobo(payload, "A", CODES).body["answers"]] == ["RGT-9.99"]


def test_problems_are_named_as_the_form_names_them(kobo_payload: Any) -> None:
    payload = kobo_payload(UUID, answers={"rights/RGT-1.01": "maybe"})
    mapping = map_kobo(payload, "A", CODES)
    parsed = parse_submission(mapping.body)
    renamed = kobo_field_names(parsed.problems, mapping.answer_fields)
    assert [p.field for p in renamed] == ["rights/RGT-1.01"]
    assert kobo_field_names([Problem("answers[0].evidence", "x")], ["g/C-1"])[0].field == (
        "g/C-1_evidence"
    )


def test_missing_submission_time_is_a_problem(kobo_payload: Any) -> None:
    payload = kobo_payload(UUID)
    del payload["_submission_time"]
    assert [p.field for p in map_kobo(payload, "A", CODES).problems] == ["_submission_time"]
