"""The one way an assessment's state changes: read, change, recompute, compare-and-set.

Every use case (an accepted submission, an assessment change, a resolution, a
rescore) goes through `apply_changes` (`apply_change` for one), so results, revision,
processed event ids and the results.updated events are always written together, or
not at all; several submissions to one assessment go in one write.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from mgi_scoring.domain.revisions import settle
from mgi_scoring.domain.state import PreviousRound, ScoringState, with_event
from mgi_scoring.ports import ScoringRepository
from mgi_scoring.service_layer.events import outbox_for

Change = Callable[[ScoringState], ScoringState]
# Entered while a change is worked out (see Step.within).
Within = Callable[[], AbstractContextManager[object]]

# Contention is per assessment and short; past this many lost races the record is retried later.
MAX_ATTEMPTS = 25


class ConcurrentUpdateError(RuntimeError):
    """Other writers kept winning the compare-and-set; the caller may retry later."""


@dataclass(frozen=True)
class Applied:
    state: ScoringState
    new_revision: bool


async def previous_round(repo: ScoringRepository, state: ScoringState) -> PreviousRound | None:
    """The same jurisdiction's round n-1 with results, the first by id if there are several."""
    info = state.info
    if info is None or info.round <= 1:
        return None
    for assessment_id in await repo.round_members(info.jurisdiction, info.round - 1):
        results = await repo.load_results(assessment_id)
        if results is not None:
            return PreviousRound(round=info.round - 1, results=results)
    return None


@dataclass(frozen=True)
class Step:
    """One change of a run applied together (see `apply_changes`)."""

    change: Change
    event_id: str | None = None
    # Entered while the change is worked out, so the event it emits continues the trace of
    # the record that asked for it.
    within: Within = nullcontext
    # The change touches nothing but the answer book (a submission): the results are then
    # worked out again only for the indicators whose answers it changed. False (everything
    # again) for any other change, and for a rescore, whose point is to recompute it all.
    answers_only: bool = False


async def apply_change(
    repo: ScoringRepository,
    assessment_id: str,
    change: Change,
    *,
    event_id: str | None = None,
) -> Applied:
    """Apply `change` once per `event_id`; a new revision only when the results differ."""
    return await apply_changes(repo, assessment_id, [Step(change, event_id)])


async def apply_changes(repo: ScoringRepository, assessment_id: str, steps: list[Step]) -> Applied:
    """Apply the changes one after the other in memory, each once per its event id, each new
    revision with its own results.updated event, and store them all in one compare-and-set
    (the state as the last change left it; new_revision if any change made one)."""
    applied, refresh = await _apply_once(repo, assessment_id, steps)
    await refresh_next_round(repo, applied.state, refresh)
    return applied


async def _apply_once(
    repo: ScoringRepository, assessment_id: str, steps: list[Step]
) -> tuple[Applied, bool]:
    for attempt in range(MAX_ATTEMPTS):
        # The first attempt trusts what this process last saw; a lost race reads afresh.
        stored = await repo.load(assessment_id, cached=attempt == 0)
        state, outbox = stored, []
        # A redelivery may follow a crash between our save and the refresh.
        redelivered = False
        for step in steps:
            if step.event_id is not None and step.event_id in state.event_ids:
                redelivered = True
                continue
            with step.within():
                changed = step.change(state)
                answers_before = state.answers if step.answers_only else None
                previous = await previous_round(repo, changed)
                settled, results_change = settle(changed, previous, answers_before)
                if settled == state:
                    # Nothing to write, not even the event id: a repeat finds nothing to do either.
                    continue
                jurisdiction = settled.info.jurisdiction if settled.info else ""
                outbox += outbox_for(jurisdiction, results_change, step.event_id)
            state = with_event(settled, step.event_id)
        new_revision = state.revision != stored.revision
        if state == stored:
            return Applied(stored, new_revision=False), redelivered
        with steps[-1].within():
            saved = await repo.save(state, stored.version, outbox)
        if saved:
            return Applied(state, new_revision=new_revision), new_revision or redelivered
    raise ConcurrentUpdateError(f"assessment {assessment_id}: too many concurrent writers")


async def refresh_next_round(repo: ScoringRepository, state: ScoringState, changed: bool) -> None:
    """New results here change the comparison shown by the jurisdiction's next round."""
    if not changed or state.info is None:
        return
    for follower in await repo.round_members(state.info.jurisdiction, state.info.round + 1):
        await apply_change(repo, follower, lambda s: s)
