"""The same set of submissions in any order, with repeats, gives the same results."""

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mgi_scoring.domain.answers import StoredSubmission, add_submission
from mgi_scoring.domain.scoring import compute_results
from mgi_scoring.service_layer.handlers import record_assessment, record_submission
from mgi_scoring.testing import T0, InMemoryScoringRepository, accepted, catalogue, changed
from mgi_shared.contracts.payloads import SubmissionAccepted
from mgi_shared.contracts.submission import AnswerValue

pytestmark = pytest.mark.unit

CODES = ["r1", "r2", "r3", "g1", "g2"]

submissions = st.lists(
    st.builds(
        lambda sid, actor, minute, answers, replaces: (sid, actor, minute, answers, replaces),
        st.sampled_from([f"s{n}" for n in range(8)]),
        st.sampled_from(["mofa", "moh", "mol"]),
        st.integers(0, 3),  # few distinct times, so ties are common
        st.dictionaries(st.sampled_from(CODES), st.sampled_from(list(AnswerValue)), min_size=1),
        st.one_of(st.none(), st.sampled_from([f"s{n}" for n in range(8)])),
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


@given(items=submissions, data=st.data())
def test_domain_results_ignore_order_and_repeats(items, data) -> None:  # type: ignore[no-untyped-def]
    arrivals = data.draw(st.permutations(items + data.draw(st.lists(st.sampled_from(items)))))
    in_order: tuple[StoredSubmission, ...] = ()
    shuffled: tuple[StoredSubmission, ...] = ()
    for item in items:
        in_order = add_submission(in_order, stored(item))
    for item in arrivals:
        shuffled = add_submission(shuffled, stored(item))
    expected = compute_results("A", catalogue(), in_order, {})
    assert compute_results("A", catalogue(), shuffled, {}) == expected


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
    revisions = [e["event"]["data"]["revision"] for e in repo.outbox]
    assert revisions == list(range(1, len(revisions) + 1))  # one step per change, no repeats
