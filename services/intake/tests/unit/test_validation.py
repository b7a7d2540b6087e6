from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mgi_intake.domain.parsing import fingerprint, parse_submission
from mgi_intake.domain.validation import AssessmentFacts, validate_submission
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
    return [p.field for p in validate_submission(parsed.submission, facts, RECEIVED)]


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
