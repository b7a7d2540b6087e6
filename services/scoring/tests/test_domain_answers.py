"""Current answers: latest submitted_at, ties to the larger id, edits replace, any arrival order."""

from datetime import timedelta

import pytest

from mgi_scoring.domain.answers import StoredSubmission, add_submission, current_answers
from mgi_scoring.testing import T0
from mgi_shared.contracts.submission import AnswerValue as V

pytestmark = pytest.mark.unit


def sub(
    sid: str, actor: str, minutes: int, supersedes: str | None = None, **answers: V
) -> StoredSubmission:
    return StoredSubmission(sid, actor, T0 + timedelta(minutes=minutes), answers, supersedes)


def values(submissions: list[StoredSubmission]) -> dict[str, dict[str, V]]:
    current = current_answers(submissions)
    return {code: {a: c.value for a, c in by.items()} for code, by in current.items()}


def test_latest_submission_wins_whatever_the_arrival_order() -> None:
    old, new = sub("a", "mofa", 0, r1=V.NO), sub("b", "mofa", 5, r1=V.YES)
    assert values([old, new]) == values([new, old]) == {"r1": {"mofa": V.YES}}


def test_a_tie_in_time_goes_to_the_larger_submission_id() -> None:
    small, large = sub("s-1", "mofa", 0, r1=V.NO), sub("s-2", "mofa", 0, r1=V.PARTIAL)
    assert values([large, small]) == {"r1": {"mofa": V.PARTIAL}}


def test_a_later_submission_without_an_indicator_keeps_the_earlier_answer() -> None:
    subs = [sub("a", "mofa", 0, r1=V.NO, r2=V.YES), sub("b", "mofa", 5, r1=V.YES)]
    assert values(subs) == {"r1": {"mofa": V.YES}, "r2": {"mofa": V.YES}}


def test_each_actor_has_its_own_current_answer() -> None:
    subs = [sub("a", "mofa", 9, r1=V.NO), sub("b", "moh", 1, r1=V.YES)]
    assert values(subs) == {"r1": {"mofa": V.NO, "moh": V.YES}}


def test_an_edit_removes_the_replaced_submission_even_when_it_arrives_first() -> None:
    original = sub("a", "mofa", 0, r1=V.NO, r2=V.NO)
    edit = sub("b", "mofa", 3, supersedes="a", r1=V.YES)
    assert values([edit, original]) == values([original, edit]) == {"r1": {"mofa": V.YES}}


def test_an_edit_with_an_older_time_still_replaces_the_original() -> None:
    original = sub("a", "mofa", 10, r1=V.NO)
    edit = sub("b", "mofa", 3, supersedes="a", r1=V.YES)
    assert values([original, edit]) == {"r1": {"mofa": V.YES}}


def test_an_edit_naming_another_actors_submission_replaces_nothing() -> None:
    theirs = sub("a", "moh", 0, r1=V.NO)
    mine = sub("b", "mofa", 3, supersedes="a", r1=V.YES)
    assert values([mine, theirs]) == {"r1": {"mofa": V.YES, "moh": V.NO}}


def test_a_submission_is_kept_once_and_storage_order_is_canonical() -> None:
    a, b = sub("a", "mofa", 0, r1=V.NO), sub("b", "moh", 0, r1=V.NO)
    one = add_submission(add_submission(add_submission((), b), a), b)
    other = add_submission(add_submission((), a), b)
    assert one == other
    assert [s.submission_id for s in one] == ["a", "b"]
