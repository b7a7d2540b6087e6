"""Consolidation, scores, completeness and sub-area ratings (contract section 5)."""

from datetime import timedelta

import pytest

from mgi_scoring.domain.answers import StoredSubmission, current_answers
from mgi_scoring.domain.consolidation import IndicatorStatus as S
from mgi_scoring.domain.consolidation import Resolution
from mgi_scoring.domain.recording import replay
from mgi_scoring.domain.results import Results
from mgi_scoring.domain.scoring import compute_results
from mgi_scoring.testing import T0, catalogue
from mgi_shared.contracts.submission import AnswerValue as V

pytestmark = pytest.mark.unit


def sub(sid: str, actor: str, minutes: int = 0, **answers: V) -> StoredSubmission:
    return StoredSubmission(sid, actor, T0 + timedelta(minutes=minutes), answers)


def results(*subs: StoredSubmission, resolutions: dict[str, Resolution] | None = None) -> Results:
    return compute_results("A", catalogue(), current_answers(replay(subs)), resolutions or {})


def test_agreement_conflict_and_missing() -> None:
    r = results(
        sub("1", "mofa", r1=V.YES, r2=V.YES, r3=V.UNKNOWN),
        sub("2", "moh", r1=V.YES, r2=V.NO, g1=V.PARTIAL),
    )
    by = {i.indicator: i for i in r.indicators}
    assert (by["r1"].status, by["r1"].value, by["r1"].score) == (S.AGREED, V.YES, 1.0)
    assert by["r1"].contributors == ["mofa", "moh"]
    assert (by["r2"].status, by["r2"].value, by["r2"].score) == (S.CONFLICT, None, None)
    assert (by["r3"].status, by["r3"].contributors) == (S.MISSING, [])
    assert (by["g1"].status, by["g1"].score, by["g1"].contributors) == (S.AGREED, 0.5, ["moh"])
    assert r.open_conflicts() == ["r2"]


def test_unknown_neither_counts_nor_conflicts() -> None:
    r = results(sub("1", "mofa", r1=V.NO), sub("2", "moh", r1=V.UNKNOWN))
    r1 = r.indicators[0]
    assert (r1.status, r1.score, r1.contributors) == (S.AGREED, 0.0, ["mofa"])


def test_completeness_domains_and_not_applicable() -> None:
    r = results(sub("1", "mofa", r1=V.YES, r2=V.NOT_APPLICABLE, r3=V.NO, g1=V.UNKNOWN))
    assert r.completeness == 0.6  # r1, r2, r3 of five; unknown is unanswered
    rights, government = r.domains
    # not_applicable is answered but left out of the score: (1 + 0) / 2
    assert (rights.answered, rights.total, rights.score) == (3, 3, 0.5)
    assert (government.answered, government.total, government.score) == (0, 2, None)
    assert rights.well_developed == ["access"]  # access: r1 only -> 1.0
    assert rights.needs_development == ["work"]  # work: 0.0
    assert government.well_developed == government.needs_development == []


def test_sub_area_between_the_thresholds_is_neither() -> None:
    r = results(sub("1", "mofa", g1=V.YES, g2=V.NO))  # strategy mean 0.5: not below 0.5
    assert r.domains[1].score == 0.5
    assert r.domains[1].well_developed == r.domains[1].needs_development == []


def test_a_resolution_stands_until_a_newer_answer_arrives() -> None:
    conflict = [sub("1", "mofa", 0, r1=V.YES), sub("2", "moh", 1, r1=V.NO)]
    basis = (T0 + timedelta(minutes=1), "2")
    resolution = {"r1": Resolution("r1", V.PARTIAL, "agreed in FGD", basis, "rev", T0)}
    r1 = results(*conflict, resolutions=resolution).indicators[0]
    assert (r1.status, r1.value, r1.score, r1.resolved) == (S.AGREED, V.PARTIAL, 0.5, True)

    late_but_older = sub("0", "mofa", -5, r1=V.NO)  # arrives later, answered earlier
    r1 = results(*conflict, late_but_older, resolutions=resolution).indicators[0]
    assert r1.resolved

    newer = sub("3", "mofa", 2, r1=V.NO)  # newer than the basis: the check reopens
    r1 = results(*conflict, newer, resolutions=resolution).indicators[0]
    assert (r1.status, r1.value, r1.resolved) == (S.AGREED, V.NO, False)


def test_indicators_that_came_out_the_same_are_those_of_the_revision_before() -> None:
    """Given the results before, a new submission rebuilds only the indicators it changed; the
    others are the earlier ones, shared, and the whole equals a computation from scratch."""
    first = sub("1", "mofa", r1=V.YES, r2=V.NO)
    before = results(first)
    book = current_answers(replay([first, sub("2", "moh", 1, r2=V.YES)]))
    after = compute_results("A", catalogue(), book, {}, before)
    old, new = ({i.indicator: i for i in r.indicators} for r in (before, after))
    assert new["r1"] is old["r1"] and new["g1"] is old["g1"]
    assert new["r2"] is not old["r2"] and new["r2"].status is S.CONFLICT
    assert after == compute_results("A", catalogue(), book, {})
