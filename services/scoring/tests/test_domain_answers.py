"""Current answers: latest submitted_at, ties to the larger id, edits replace, any arrival order."""

from datetime import timedelta

import pytest

from mgi_scoring.domain.answers import AnswerBook, StoredSubmission, current_answers
from mgi_scoring.domain.recording import record
from mgi_scoring.testing import T0
from mgi_shared.contracts.submission import AnswerValue as V

pytestmark = pytest.mark.unit


def sub(
    sid: str, actor: str, minutes: int, supersedes: str | None = None, **answers: V
) -> StoredSubmission:
    return StoredSubmission(sid, actor, T0 + timedelta(minutes=minutes), answers, supersedes)


def values(submissions: list[StoredSubmission]) -> dict[str, dict[str, V]]:
    """Current values after recording the submissions in the order given."""
    book = AnswerBook()
    for submission in submissions:
        book = record(book, submission)
    current = current_answers(book)
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
    assert values([original, edit]) == values([edit, original]) == {"r1": {"mofa": V.YES}}


def test_kobo_edits_of_edits_at_the_original_time_replace_in_turn() -> None:
    # KoboToolbox keeps the original's time on each edit: only the chain says which is current.
    original = sub("k-9", "mofa", 0, r1=V.NO)
    first = sub("k-5", "mofa", 0, supersedes="k-9", r1=V.PARTIAL)
    second = sub("k-7", "mofa", 0, supersedes="k-5", r1=V.YES)
    for order in ([original, first, second], [second, first, original], [first, second, original]):
        assert values(order) == {"r1": {"mofa": V.YES}}


def test_an_edit_naming_another_actors_submission_replaces_nothing() -> None:
    theirs = sub("a", "moh", 0, r1=V.NO)
    mine = sub("b", "mofa", 3, supersedes="a", r1=V.YES)
    assert values([mine, theirs]) == values([theirs, mine]) == {"r1": {"mofa": V.YES, "moh": V.NO}}


def test_an_edit_leaving_an_indicator_out_leaves_that_actor_without_an_answer() -> None:
    # Where the rule before issue 7 fell back on the older "a" for r1 (see `answers`).
    older = sub("a", "mofa", 0, r1=V.NO)
    replaced = sub("b", "mofa", 5, r1=V.YES, r2=V.YES)
    edit = sub("c", "mofa", 6, supersedes="b", r2=V.PARTIAL)
    for order in ([older, replaced, edit], [edit, older, replaced], [replaced, edit, older]):
        assert values(order) == {"r2": {"mofa": V.PARTIAL}}


def test_edits_replacing_each_other_in_a_loop_leave_no_answer() -> None:
    one = sub("a", "mofa", 0, supersedes="b", r1=V.NO)
    other = sub("b", "mofa", 1, supersedes="a", r1=V.YES)
    apart = sub("c", "moh", 0, r1=V.YES)
    assert values([one, other, apart]) == values([apart, other, one]) == {"r1": {"moh": V.YES}}
