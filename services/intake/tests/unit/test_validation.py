from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mgi_intake.domain.parsing import decode_json, fingerprint, parse_submission
from mgi_intake.domain.validation import AssessmentFacts, in_field_order, validate_submission
from mgi_shared.contracts.payloads import AssessmentStatus

pytestmark = pytest.mark.unit

RECEIVED = datetime(2023, 5, 10, 12, 0, tzinfo=UTC)
FACTS = AssessmentFacts(
    assessment_id="IDN-2023-national",
    status=AssessmentStatus.DATA_COLLECTION,
    catalogue_codes=frozenset({"RGT-1.01", "RGT-1.02", "GOV-1.01"}),
    assigned=frozenset({"RGT-1.01", "RGT-1.02"}),
)


def body(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "submission_id": "s-1",
        "assessment_id": "IDN-2023-national",
        "actor_id": "idn-mofa",
        "language": "en",
        "submitted_at": "2023-05-10T09:30:00Z",
        "answers": [{"indicator": "RGT-1.01", "value": "yes", "evidence": "Law No. 18/2017"}],
    }
    return {**base, **changes}


def fields_of(raw: dict[str, Any], facts: AssessmentFacts | None = FACTS) -> list[str]:
    parsed = parse_submission(raw)
    assert parsed.submission is not None, parsed.problems
    return [p.field for p in validate_submission(parsed.draft, facts, RECEIVED)]


def test_a_good_submission_has_no_problems() -> None:
    assert fields_of(body()) == []


def test_every_problem_is_named_by_its_field() -> None:
    answers = [
        {"indicator": "RGT-1.01", "value": "yes"},
        {"indicator": "GOV-1.01", "value": "no"},  # in catalogue, not assigned
        {"indicator": "XXX-9.99", "value": "no"},  # unknown
        {"indicator": "RGT-1.01", "value": "no"},  # twice
    ]
    assert fields_of(body(answers=answers)) == [
        "answers[1].indicator",
        "answers[2].indicator",
        "answers[3].indicator",
    ]


def test_unknown_actor_and_wrong_status() -> None:
    facts = AssessmentFacts(
        **{**FACTS.__dict__, "status": AssessmentStatus.LAUNCHED, "assigned": None}
    )
    assert fields_of(body(actor_id="nobody"), facts) == ["assessment_id", "actor_id"]


def test_an_edit_may_only_replace_the_same_actors_submission() -> None:
    def replacing(owner: tuple[str, str]) -> list[str]:
        return fields_of(body(), AssessmentFacts(**{**FACTS.__dict__, "superseded_owner": owner}))

    assert replacing(("IDN-2023-national", "idn-mofa")) == []
    assert replacing(("IDN-2023-national", "idn-moh")) == ["meta/deprecatedID"]
    assert replacing(("MEX-2023-national", "idn-mofa")) == ["meta/deprecatedID"]


def test_unknown_assessment() -> None:
    assert fields_of(body(), None) == ["assessment_id"]


def test_schema_errors_name_fields_like_answers_index() -> None:
    raw = body(answers=[{"indicator": "RGT-1.01", "value": "maybe"}], submitted_at="yesterday")
    parsed = parse_submission(raw)
    assert parsed.submission is None
    assert sorted(p.field for p in parsed.problems) == ["answers[0].value", "submitted_at"]


def test_time_without_offset_is_refused() -> None:
    parsed = parse_submission(body(submitted_at="2023-05-10T09:30:00"))
    assert [p.field for p in parsed.problems] == ["submitted_at"]


def test_fingerprint_ignores_key_order() -> None:
    raw = body()
    assert fingerprint(raw) == fingerprint(dict(reversed(list(raw.items()))))
    assert fingerprint(raw) != fingerprint(body(language="fr"))


def test_submitted_at_may_be_ahead_of_the_received_time_only_by_the_allowance() -> None:
    def at(moment: datetime) -> dict[str, Any]:
        return body(submitted_at=moment.isoformat())

    assert fields_of(at(RECEIVED + timedelta(minutes=5))) == []
    assert fields_of(at(RECEIVED + timedelta(minutes=5, seconds=1))) == ["submitted_at"]
    assert fields_of(at(datetime(2099, 1, 1, tzinfo=UTC))) == ["submitted_at"]
    # Reported beside the other problems, even for an unknown assessment.
    assert fields_of(at(datetime(2099, 1, 1, tzinfo=UTC)), None) == [
        "submitted_at",
        "assessment_id",
    ]


def test_a_schema_error_leaves_the_other_fields_to_be_checked() -> None:
    """The example of issue 14: an unknown code, an unassigned one and a bad value, all named."""
    answers = [
        {"indicator": "XXX-9.99", "value": "yes"},  # unknown
        {"indicator": "GOV-1.01", "value": "no"},  # not assigned
        {"indicator": "RGT-1.01", "value": "maybe"},  # bad value
    ]
    parsed = parse_submission(body(answers=answers))
    assert parsed.submission is None
    problems = in_field_order(parsed.problems + validate_submission(parsed.draft, FACTS, RECEIVED))
    assert [f"{p.field}: {p.message}" for p in problems] == [
        "answers[0].indicator: unknown indicator code 'XXX-9.99'",
        "answers[1].indicator: indicator 'GOV-1.01' is not assigned to 'idn-mofa'",
        "answers[2].value: 'maybe' is not one of yes, partial, no, not_applicable, unknown",
    ]


def test_a_field_the_schema_refuses_is_not_checked_again() -> None:
    raw = body(actor_id="no spaces allowed", answers=[{"indicator": 7, "value": "yes"}])
    parsed = parse_submission(raw)
    assert sorted(p.field for p in parsed.problems) == ["actor_id", "answers[0].indicator"]
    assert parsed.draft.actor_id is None
    assert parsed.draft.indicators == (None,)
    # The assessment is still checked: its status and the actor are the assessment's problems.
    facts = AssessmentFacts(**{**FACTS.__dict__, "status": AssessmentStatus.LAUNCHED})
    assert [p.field for p in validate_submission(parsed.draft, facts, RECEIVED)] == [
        "assessment_id"
    ]


def test_without_a_readable_assessment_only_the_schema_speaks() -> None:
    parsed = parse_submission(body(assessment_id=["IDN"]))
    assert [p.field for p in parsed.problems] == ["assessment_id"]
    assert validate_submission(parsed.draft, None, RECEIVED) == []


def test_an_unknown_field_is_named() -> None:
    raw = body(colour="blue", answers=[{"indicator": "RGT-1.01", "value": "yes", "note": "x"}])
    problems = parse_submission(raw).problems
    assert sorted(f"{p.field}: {p.message}" for p in problems) == [
        "answers[0].note: unknown field (given 'x')",
        "colour: unknown field (given 'blue')",
    ]


def test_answers_beyond_the_limit_are_not_each_checked() -> None:
    answers = [{"indicator": f"XXX-{n}", "value": "yes"} for n in range(600)]
    parsed = parse_submission(body(answers=answers))
    assert [p.field for p in parsed.problems] == ["answers"]
    assert len(parsed.draft.indicators) == 500


def test_deeply_nested_json_is_a_problem_not_a_crash() -> None:
    value, problem = decode_json(b"[" * 100_000)
    assert value is None
    assert problem is not None
    assert problem.field == "body"


def test_an_integer_too_long_to_read_is_a_problem_not_a_crash() -> None:
    value, problem = decode_json(b'{"submission_id": ' + b"1" * 5000 + b"}")
    assert value is None
    assert problem is not None
    assert "digits" in problem.message
