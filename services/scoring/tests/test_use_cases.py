"""The use cases over the in-memory repository: revisions, duplicates, events, rounds."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from mgi_scoring.domain.state import EVENT_WINDOW
from mgi_scoring.service_layer.handlers import (
    NotInConflictError,
    ResultsFrozenError,
    read_results,
    record_assessment,
    record_submission,
    record_submissions,
    rescore,
    resolve_indicator,
)
from mgi_scoring.testing import InMemoryScoringRepository, accepted, catalogue, changed
from mgi_shared.contracts.payloads import AssessmentStatus
from mgi_shared.contracts.submission import AnswerValue

pytestmark = pytest.mark.unit


@pytest.fixture
def repo() -> InMemoryScoringRepository:
    return InMemoryScoringRepository()


async def test_answers_before_the_assessment_are_scored_once_it_is_known(
    repo: InMemoryScoringRepository,
) -> None:
    aid = f"A-{uuid4().hex[:8]}"
    await record_submission(repo, aid, accepted(aid, "mofa", {"r1": "yes"}))
    assert (await repo.load(aid)).results is None and repo.outbox == []
    await record_assessment(repo, aid, changed(aid))
    state = await repo.load(aid)
    assert state.results is not None and state.results.revision == 1
    assert state.results.indicators[0].value == AnswerValue.YES
    [event] = repo.events_for(aid)
    assert event["jurisdiction"] == "IDN" and event["data"]["revision"] == 1


async def test_duplicates_and_no_op_events_make_no_revision(
    repo: InMemoryScoringRepository,
) -> None:
    aid = "A-dup"
    await record_assessment(repo, aid, changed(aid))
    event = accepted(aid, "mofa", {"r1": "yes"})
    await record_submission(repo, aid, event)
    await record_submission(repo, aid, event)  # the same event again
    # The same submission under a new event id, and a status change: results unchanged.
    again = event.model_copy(update={"event_id": uuid4()})
    await record_submission(repo, aid, again)
    await record_assessment(repo, aid, changed(aid, status=AssessmentStatus.DRAFT_PROFILE))
    assert (await repo.load(aid)).revision == 2
    assert [e["data"]["revision"] for e in repo.events_for(aid)] == [1, 2]
    assert (await repo.load(aid)).info.status is AssessmentStatus.DRAFT_PROFILE  # type: ignore[union-attr]


async def test_events_redelivered_after_the_window_of_event_ids_change_nothing(
    repo: InMemoryScoringRepository,
) -> None:
    aid = "A-window"
    first_status = changed(aid)
    await record_assessment(repo, aid, first_status)
    first = accepted(aid, "mofa", {"r1": "yes"}, minutes=1)
    await record_submission(repo, aid, first)
    await record_assessment(repo, aid, changed(aid, status=AssessmentStatus.DRAFT_PROFILE))
    for minute in range(EVENT_WINDOW):  # pushes both first events out of the window
        await record_submission(repo, aid, accepted(aid, "moh", {"g1": "no"}, minutes=minute))
    before = await repo.load(aid)
    assert str(first.event_id) not in before.event_ids

    await record_submission(repo, aid, first)
    await record_assessment(repo, aid, first_status)  # an older status: only moves forward
    after = await repo.load(aid)
    assert after == before  # not even written again
    assert (await read_results(repo, aid)).submissions_applied == EVENT_WINDOW + 1


async def test_completed_is_announced_only_the_first_time(repo: InMemoryScoringRepository) -> None:
    aid = "A-complete"
    await record_assessment(repo, aid, changed(aid))
    full = {"r1": "yes", "r2": "no", "r3": "partial", "g1": "yes", "g2": "not_applicable"}
    await record_submission(repo, aid, accepted(aid, "mofa", full, minutes=1))
    await record_submission(repo, aid, accepted(aid, "mofa", {"r1": "unknown"}, minutes=2))
    await record_submission(repo, aid, accepted(aid, "mofa", {"r1": "no"}, minutes=3))
    data = [e["data"] for e in repo.events_for(aid)]
    assert [d["completeness"] for d in data] == [0.0, 1.0, 0.8, 1.0]
    assert [d["completed"] for d in data] == [False, True, False, False]
    assert [c["indicator"] for c in data[2]["changed_indicators"]] == ["r1"]


async def test_a_reviewer_resolves_a_conflict_until_a_newer_answer(
    repo: InMemoryScoringRepository,
) -> None:
    aid = "A-resolve"
    await record_assessment(repo, aid, changed(aid))
    await record_submission(repo, aid, accepted(aid, "mofa", {"r1": "yes"}, minutes=1))
    await record_submission(repo, aid, accepted(aid, "moh", {"r1": "no"}, minutes=2))
    assert repo.events_for(aid)[-1]["data"]["open_conflicts"] == ["r1"]
    now = datetime.now(UTC)
    with pytest.raises(NotInConflictError):
        await resolve_indicator(repo, aid, "r2", AnswerValue.YES, "", "rev", now)
    applied = await resolve_indicator(repo, aid, "r1", AnswerValue.PARTIAL, "FGD", "rev", now)
    assert applied.new_revision and applied.state.results.indicators[0].score == 0.5  # type: ignore[union-attr]
    assert repo.events_for(aid)[-1]["data"]["open_conflicts"] == []
    await record_submission(repo, aid, accepted(aid, "moh", {"r1": "yes"}, minutes=3))
    r1 = (await repo.load(aid)).results.indicators[0]  # type: ignore[union-attr]
    assert (r1.value, r1.resolved) == (AnswerValue.YES, False)


async def test_follow_up_round_compares_with_the_previous_round(
    repo: InMemoryScoringRepository,
) -> None:
    old = catalogue("v1")
    new = catalogue("v2", previous_version="v1", previous_mapping={"r1": "r2", "r2": "r1"})
    await record_assessment(repo, "R2", changed("R2", jurisdiction="KEN", round_number=2,
                                                structure=new))  # fmt: skip
    await record_submission(repo, "R2", accepted("R2", "mofa", {"r1": "yes", "g1": "no"}))
    assert (await repo.load("R2")).results.comparison is None  # type: ignore[union-attr]
    await record_assessment(repo, "R1", changed("R1", jurisdiction="KEN", structure=old))
    await record_submission(repo, "R1", accepted("R1", "mofa", {"r2": "no", "g1": "yes"}))
    comparison = (await repo.load("R2")).results.comparison  # type: ignore[union-attr]
    assert comparison is not None and comparison.previous_assessment_id == "R1"
    rights, government = comparison.domains
    # this round's r1 maps to last round's r2: 0 -> 1
    assert (rights.score, rights.previous_score, rights.change) == (1.0, 0.0, 1.0)
    assert (rights.improved, rights.compared) == (["r1"], 1)
    assert (government.change, government.declined) == (-1.0, ["g1"])


async def test_rescore_changes_nothing_when_results_are_current(
    repo: InMemoryScoringRepository,
) -> None:
    await record_assessment(repo, "A-re", changed("A-re"))
    before = list(repo.outbox)
    assert await rescore(repo, None) == []
    assert repo.outbox == before


@pytest.mark.parametrize("status", [AssessmentStatus.VALIDATED, AssessmentStatus.PUBLISHED])
async def test_a_validated_assessment_takes_no_resolution(
    repo: InMemoryScoringRepository, status: AssessmentStatus
) -> None:
    aid = f"A-frozen-{status.value}"
    await record_assessment(repo, aid, changed(aid))
    await record_submission(repo, aid, accepted(aid, "mofa", {"r1": "yes"}, minutes=1))
    await record_submission(repo, aid, accepted(aid, "moh", {"r1": "no"}, minutes=2))
    now = datetime.now(UTC)
    # While in consultation a reviewer still may.
    await record_assessment(repo, aid, changed(aid, status=AssessmentStatus.CONSULTATION))
    assert (await resolve_indicator(repo, aid, "r1", AnswerValue.NO, "", "rev", now)).new_revision
    await record_assessment(repo, aid, changed(aid, status=status))
    before = await repo.load(aid)
    with pytest.raises(ResultsFrozenError, match=status.value):
        await resolve_indicator(repo, aid, "r1", AnswerValue.YES, "", "rev", now)
    assert await repo.load(aid) == before


async def test_submissions_applied_together_match_one_by_one_in_one_save() -> None:
    """The same revisions, events and state as one by one; a repeat inside the run is applied
    once; and one save for them all. Each change is worked out within its own context."""
    aid = "A-together"
    events = [
        accepted(aid, "mofa", {"r1": "yes"}, minutes=1),
        accepted(aid, "moi", {"r1": "no"}, minutes=2),  # a conflict
        accepted(aid, "mofa", {"r1": "no", "g2": "partial"}, minutes=3),  # resolves it
    ]
    alone, together = InMemoryScoringRepository(), InMemoryScoringRepository()
    assessment = changed(aid)
    for repo in (alone, together):
        await record_assessment(repo, aid, assessment)
    for event in events:
        await record_submission(alone, aid, event)

    saves, entered = 0, []
    save = together.save

    async def counted_save(*args: object) -> bool:
        nonlocal saves
        saves += 1
        return await save(*args)  # type: ignore[arg-type]

    def within(label: str) -> Callable[[], AbstractContextManager[object]]:
        @contextmanager
        def enter() -> Iterator[None]:
            entered.append(label)
            yield

        return enter

    together.save = counted_save  # type: ignore[method-assign]
    run = [(e, within(str(i))) for i, e in enumerate([*events, events[1]])]
    applied = await record_submissions(together, aid, run)

    assert saves == 1 and applied.new_revision
    assert entered == ["0", "1", "2", "3"]  # the repeat (3) only for the save, in the last one
    expected = [(e["event_id"], e["data"]) for e in alone.events_for(aid)]
    got = [(e["event_id"], e["data"]) for e in together.events_for(aid)]
    assert got == expected
    # The assessment's first revision, then one for each submission, each naming its event.
    assert [data["revision"] for _, data in got] == [1, 2, 3, 4]
    assert [data["triggered_by"] for _, data in got[1:]] == [str(e.event_id) for e in events]
    mine, theirs = await together.load(aid), await alone.load(aid)
    assert (mine.results, mine.event_ids, mine.answers) == (theirs.results, theirs.event_ids,
                                                            theirs.answers)  # fmt: skip
