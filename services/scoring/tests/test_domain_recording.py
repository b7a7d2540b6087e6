"""The answer book stays bounded: what no later arrival can need is not kept."""

from datetime import timedelta

import pytest

from mgi_scoring.domain.answers import AnswerBook, StoredSubmission, Trail
from mgi_scoring.domain.recording import WAITING_PER_ACTOR, record, replay
from mgi_scoring.testing import T0
from mgi_shared.contracts.submission import AnswerValue as V

pytestmark = pytest.mark.unit

CODES = ["r1", "r2", "r3", "g1", "g2"]
MINISTRIES = [f"ministry-{n:02d}" for n in range(17)]


def sub(
    sid: str, actor: str, minutes: int, supersedes: str | None = None, **answers: V
) -> StoredSubmission:
    return StoredSubmission(sid, actor, T0 + timedelta(minutes=minutes), answers, supersedes)


def recorded(*submissions: StoredSubmission, book: AnswerBook | None = None) -> AnswerBook:
    book = book or AnswerBook()
    for submission in submissions:
        book = record(book, submission)
    return book


def answered_round(round_number: int) -> list[StoredSubmission]:
    """Every ministry answers every indicator again."""
    return [
        sub(f"{actor}-{round_number}", actor, round_number, **dict.fromkeys(CODES, V.YES))
        for actor in MINISTRIES
    ]


def test_six_rounds_of_17_ministries_keep_what_one_round_keeps() -> None:
    first = recorded(*answered_round(1))
    sixth = recorded(*(s for n in range(1, 7) for s in answered_round(n)))
    shape = [
        [(code, len(trail.path)) for code, trail in sorted(trails.items())]
        for _, trails in sorted(sixth.trails.items())
    ]
    assert shape == [[(code, 1) for code in sorted(CODES)]] * len(MINISTRIES)
    assert first.waiting == sixth.waiting == ()
    assert (first.applied, sixth.applied) == (17, 102)
    assert {t.path[0][1] for trails in sixth.trails.values() for t in trails.values()} == {
        f"{actor}-6" for actor in MINISTRIES
    }


def test_a_submission_seen_again_changes_nothing_while_it_is_held() -> None:
    old, new = sub("a", "mofa", 0, r1=V.NO, r2=V.NO), sub("b", "mofa", 5, r1=V.YES)
    book = recorded(old, new)
    assert recorded(old, new, book=book) == book


def test_a_dropped_submission_arriving_again_is_counted_again_but_changes_nothing_else() -> None:
    # No bounded book can tell it from a new one that arrives outdated (see `recording`).
    old, new = sub("a", "mofa", 0, r1=V.NO), sub("b", "mofa", 5, r1=V.YES)
    book = recorded(old, new)
    assert book.trails == {"mofa": {"r1": Trail((new.key,), V.YES)}}
    again = record(book, old)
    assert (again.trails, again.waiting, again.applied) == (book.trails, (), 3)


def test_an_edit_waits_whole_for_the_submission_it_replaces() -> None:
    original = sub("a", "mofa", 0, r1=V.NO, r2=V.NO)
    edit = sub("b", "mofa", 0, supersedes="a", r1=V.YES)  # a Kobo edit: the original's time
    waiting = recorded(edit)
    assert waiting.waiting == (edit,)
    book = record(waiting, original)
    assert book == recorded(original, edit)
    assert book.waiting == ()
    assert book.trails["mofa"] == {
        "r1": Trail((edit.key,), V.YES),
        "r2": Trail((original.key, edit.key), None),  # the edit left r2 out
    }


def test_an_edit_naming_another_actors_submission_stops_waiting_when_that_arrives() -> None:
    mine = sub("b", "mofa", 3, supersedes="a", r1=V.YES)
    book = recorded(mine, sub("a", "moh", 0, r1=V.NO))
    assert book.waiting == ()
    assert book == recorded(sub("a", "moh", 0, r1=V.NO), mine)


def test_past_the_limit_the_oldest_waiting_edits_are_let_go() -> None:
    edits = [
        sub(f"e{n:02d}", "mofa", n, supersedes=f"lost{n}", r1=V.YES)
        for n in range(WAITING_PER_ACTOR + 3)
    ]
    book = recorded(*edits, sub("other", "moh", 0, supersedes="lost", r1=V.NO))
    assert [e.submission_id for e in book.waiting if e.actor_id == "mofa"] == [
        e.submission_id for e in edits[3:]
    ]
    assert len(book.waiting) == WAITING_PER_ACTOR + 1


def test_the_older_layout_replays_into_the_same_book_in_any_order() -> None:
    stored = [
        sub("a", "mofa", 0, r1=V.NO, r2=V.YES),
        sub("b", "mofa", 4, supersedes="a", r1=V.YES),
        sub("c", "moh", 2, r1=V.PARTIAL),
        sub("d", "moh", 1, r1=V.NO),
    ]
    assert replay(stored) == replay(reversed(stored)) == recorded(*stored[::-1])
    assert replay(stored).applied == 4
