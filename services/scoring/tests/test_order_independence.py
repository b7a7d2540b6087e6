"""The same set of submissions in any order, with repeats, gives the same results.

The answer book drops what no later arrival can need (see `recording`); these properties check
it against the rule written plainly over every submission received (`rule_values`), and that
rule against the one before issue 7 (`unpruned_values`) where the two are meant to agree.
"""

from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mgi_scoring.domain.answers import AnswerBook, StoredSubmission, current_answers
from mgi_scoring.domain.recording import record
from mgi_scoring.domain.revisions import settle
from mgi_scoring.domain.scoring import compute_results
from mgi_scoring.domain.state import AssessmentInfo, ScoringState
from mgi_scoring.service_layer.handlers import read_results, record_assessment, record_submission
from mgi_scoring.testing import T0, InMemoryScoringRepository, accepted, catalogue, changed
from mgi_shared.contracts.payloads import AssessmentStatus, SubmissionAccepted
from mgi_shared.contracts.submission import AnswerValue
from mgi_shared.outbox import entry_event

pytestmark = pytest.mark.unit

CODES = ["r1", "r2", "r3", "g1", "g2"]
IDS = [f"s{n}" for n in range(8)]
Values = dict[str, dict[str, AnswerValue]]

submissions = st.lists(
    st.builds(
        lambda sid, actor, minute, answers, replaces: (sid, actor, minute, answers, replaces),
        st.sampled_from(IDS),
        st.sampled_from(["mofa", "moh", "mol"]),
        st.integers(0, 3),  # few distinct times, so ties are common
        st.dictionaries(st.sampled_from(CODES), st.sampled_from(list(AnswerValue)), min_size=1),
        st.one_of(st.none(), st.sampled_from(IDS)),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda s: s[0],
)


def stored(item: tuple) -> StoredSubmission:  # type: ignore[type-arg]
    sid, actor, minute, answers, replaces = item
    return StoredSubmission(sid, actor, T0 + timedelta(minutes=minute), answers, replaces)


def as_event(item: tuple) -> SubmissionAccepted:  # type: ignore[type-arg]
    sid, actor, minute, answers, replaces = item
    values = {code: value.value for code, value in answers.items()}
    return accepted("A", actor, values, minutes=minute, submission_id=sid, supersedes=replaces)


def recorded(arrivals: Iterable[StoredSubmission]) -> AnswerBook:
    book = AnswerBook()
    for submission in arrivals:
        book = record(book, submission)
    return book


def book_values(book: AnswerBook) -> Values:
    current = current_answers(book)
    return {code: {a: c.value for a, c in by.items()} for code, by in current.items()}


def rule_values(received: list[StoredSubmission]) -> Values:
    """The rule of `answers`, over everything received: per actor and indicator the newest
    answer, then its newest edit, that one's newest edit..., and the last one's value."""
    values: Values = {}
    for actor in {s.actor_id for s in received}:
        mine = [s for s in received if s.actor_id == actor]
        for code in {code for s in mine for code in s.answers}:
            version = max((s for s in mine if code in s.answers), key=lambda s: s.key)
            seen: set[str] = set()
            value = None  # unless the edits end somewhere: a loop of edits leaves no answer
            while version.submission_id not in seen:
                seen.add(version.submission_id)
                edits = [s for s in mine if s.supersedes == version.submission_id]
                if not edits:
                    value = version.answers.get(code)
                    break
                version = max(edits, key=lambda s: s.key)
            if value is not None:
                values.setdefault(code, {})[actor] = value
    return values


def unpruned_values(received: list[StoredSubmission]) -> Values:
    """The rule before issue 7: the newest answer among submissions no same-actor edit replaced."""
    actor_of = {s.submission_id: s.actor_id for s in received}
    replaced = {s.supersedes for s in received if actor_of.get(s.supersedes or "") == s.actor_id}
    values: Values = {}
    for s in sorted((s for s in received if s.submission_id not in replaced), key=lambda s: s.key):
        for code, value in s.answers.items():
            values.setdefault(code, {})[s.actor_id] = value
    return values


def arrivals_of(items: list[tuple], data: st.DataObject) -> list[tuple]:  # type: ignore[type-arg]
    """The items in any order, some of them more than once."""
    return data.draw(st.permutations(items + data.draw(st.lists(st.sampled_from(items)))))


@given(items=submissions, data=st.data())
def test_domain_results_ignore_order_and_repeats(items, data) -> None:  # type: ignore[no-untyped-def]
    in_order = recorded(stored(item) for item in items)
    shuffled = recorded(stored(item) for item in arrivals_of(items, data))
    assert shuffled.trails == in_order.trails
    expected = compute_results("A", catalogue(), current_answers(in_order), {})
    assert compute_results("A", catalogue(), current_answers(shuffled), {}) == expected


@settings(max_examples=300)
@given(items=submissions, data=st.data())
def test_results_worked_out_for_the_changed_answers_only_equal_a_full_computation(
    items, data
) -> None:  # type: ignore[no-untyped-def]
    """After every arrival (any order, repeats, edits before what they replace), the results
    rebuilt only for the indicators (and domains) whose answers changed are those computed
    from scratch."""
    info = AssessmentInfo("IDN", 1, "national", AssessmentStatus.DATA_COLLECTION, catalogue())
    state = ScoringState("A", info=info)
    for item in arrivals_of(items, data):
        changed = replace(state, answers=record(state.answers, stored(item)))
        partly, _ = settle(changed, None, answers_before=state.answers)
        scratch = compute_results("A", catalogue(), current_answers(changed.answers), {})
        assert partly.results is not None and partly.results.same_as(scratch)
        state = partly


@settings(max_examples=300)
@given(items=submissions, data=st.data())
def test_the_bounded_book_follows_the_rule_over_everything_received(items, data) -> None:  # type: ignore[no-untyped-def]
    book = recorded(stored(item) for item in arrivals_of(items, data))
    assert book_values(book) == rule_values([stored(item) for item in items])


@given(items=submissions, data=st.data())
def test_dropped_submissions_redelivered_later_change_nothing(items, data) -> None:  # type: ignore[no-untyped-def]
    book = recorded(stored(item) for item in items)
    again = book
    for item in data.draw(st.lists(st.sampled_from(items), min_size=1)):
        again = record(again, stored(item))
    # The trails, so the answers, stay. A dropped edit may wait again for the version it
    # replaced, dropped too, until the limit lets it go: room, never answers (see `recording`).
    assert again.trails == book.trails


@given(items=submissions)
def test_edits_arriving_before_what_they_replace_give_the_same_answers(items) -> None:  # type: ignore[no-untyped-def]
    received = {item[0]: stored(item) for item in items}
    edits_first = recorded(sorted(received.values(), key=lambda s: s.supersedes is None))
    assert edits_first.trails == recorded(received.values()).trails
    # An edit stops waiting once the submission it replaces arrives (here: the originals, last).
    originals = {sid for sid, s in received.items() if s.supersedes is None}
    assert not [edit for edit in edits_first.waiting if edit.supersedes in originals]


@given(items=submissions, data=st.data())
def test_without_edits_the_rule_is_the_one_before_pruning(items, data) -> None:  # type: ignore[no-untyped-def]
    plain = [stored((*item[:4], None)) for item in items]
    shuffled = data.draw(st.permutations(plain))
    assert book_values(recorded(shuffled)) == unpruned_values(plain)


@given(items=submissions, data=st.data())
def test_edits_that_restate_and_follow_what_they_replace_agree_with_the_rule_before(
    items, data
) -> None:  # type: ignore[no-untyped-def]
    """An edit dated after the version it replaces, answering at least what that one answered
    (what KoboToolbox and the HTTP API send), is where the two rules must agree."""
    chain: list[StoredSubmission] = []
    for item in items:
        base = stored((*item[:4], None))
        latest = next((s for s in reversed(chain) if s.actor_id == base.actor_id), None)
        if latest is not None and data.draw(st.booleans()):
            answers = {**latest.answers, **base.answers}
            when = latest.submitted_at + timedelta(minutes=1)
            base = StoredSubmission(
                base.submission_id, base.actor_id, when, answers, latest.submission_id
            )
        chain.append(base)  # each edit replaces the actor's latest: no version is edited twice
    shuffled = data.draw(st.permutations(chain))
    assert book_values(recorded(shuffled)) == unpruned_values(chain)


@settings(max_examples=60, deadline=None)
@given(items=submissions, data=st.data())
async def test_use_cases_give_the_same_results_in_any_order(items, data) -> None:  # type: ignore[no-untyped-def]
    events = [as_event(item) for item in items]
    arrivals = data.draw(st.permutations(events + data.draw(st.lists(st.sampled_from(events)))))
    position = data.draw(st.integers(0, len(arrivals)))  # the assessment may come at any point
    reference, repo = InMemoryScoringRepository(), InMemoryScoringRepository()
    await record_assessment(reference, "A", changed("A"))
    for event in events:
        await record_submission(reference, "A", event)
    for index, event in enumerate(arrivals):
        if index == position:
            await record_assessment(repo, "A", changed("A"))
        await record_submission(repo, "A", event)
    if position == len(arrivals):
        await record_assessment(repo, "A", changed("A"))
    expected = (await reference.load("A")).results
    actual = (await repo.load("A")).results
    assert actual is not None and expected is not None and actual.same_as(expected)
    revisions = [entry_event(e)["data"]["revision"] for e in repo.outbox]
    assert revisions == list(range(1, len(revisions) + 1))  # one step per change, no repeats
    # Repeats are recent enough for the window of event ids: each submission counts once.
    assert (await read_results(repo, "A")).submissions_applied == len(items)
