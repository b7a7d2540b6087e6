"""What `mgi bench` sends is valid, and every submission changes its assessment's results."""

import pytest

from mgi_cli.bench.workload import (
    BenchAssessment,
    Catalogue,
    SubmissionStream,
    actor_per_domain,
    ministries,
)
from mgi_shared.catalogue.loader import builtin_catalogues
from mgi_shared.contracts.submission import Submission

pytestmark = pytest.mark.unit


def national() -> Catalogue:
    (catalogue,) = [c for c in builtin_catalogues() if c.version == "mgi-national-2024"]
    return Catalogue(catalogue.version, tuple((i.code, i.domain) for i in catalogue.indicators))


def test_actor_maps_share_out_the_whole_catalogue_without_overlap() -> None:
    codes = [code for code, _ in national().indicators]
    for actors, expected in ((actor_per_domain(national()), 6), (ministries(national(), 17), 17)):
        assigned = [code for actor in actors for code in actor.indicators]
        assert len(actors) == expected
        assert sorted(assigned) == sorted(codes)


def test_submissions_are_valid_and_answer_only_their_actors_assignment() -> None:
    assessment = BenchAssessment("XBM-test-0001", ministries(national(), 5))
    assignments = {a.actor_id: set(a.indicators) for a in assessment.actors}
    for body in SubmissionStream("run-phase", [assessment], national()).take(20):
        submission = Submission.model_validate(body)
        assert {a.indicator for a in submission.answers} == assignments[submission.actor_id]


def test_each_submission_changes_every_answer_of_its_actor() -> None:
    """Otherwise scoring would emit no results.updated for it and the run would wait in vain."""
    assessments = [BenchAssessment(f"XBM-test-{n}", actor_per_domain(national())) for n in range(3)]
    last: dict[tuple[str, str], dict[str, str]] = {}
    bodies = SubmissionStream("run-phase", assessments, national()).take(60)
    assert len({b["submission_id"] for b in bodies}) == 60
    assert [b["assessment_id"] for b in bodies[:3]] == [a.assessment_id for a in assessments]
    for body in bodies:
        values = {a["indicator"]: a["value"] for a in body["answers"]}
        previous = last.get((body["assessment_id"], body["actor_id"]))
        if previous is not None:
            assert all(values[code] != previous[code] for code in values)
            assert body["submitted_at"] > previous["__at"]
        last[(body["assessment_id"], body["actor_id"])] = {**values, "__at": body["submitted_at"]}
