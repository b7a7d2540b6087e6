"""The one way an assessment's state changes: read, change, recompute, compare-and-set.

Every use case (an accepted submission, an assessment change, a resolution, a
rescore) goes through `apply_change`, so results, revision, processed event ids
and the results.updated event are always written together, or not at all.
"""

from collections.abc import Callable
from dataclasses import dataclass

from mgi_scoring.domain.revisions import settle
from mgi_scoring.domain.state import PreviousRound, ScoringState, with_event
from mgi_scoring.ports import ScoringRepository
from mgi_scoring.service_layer.events import outbox_for

Change = Callable[[ScoringState], ScoringState]

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


async def apply_change(
    repo: ScoringRepository,
    assessment_id: str,
    change: Change,
    *,
    event_id: str | None = None,
) -> Applied:
    """Apply `change` once per `event_id`; a new revision only when the results differ."""
    applied, refresh = await _apply_once(repo, assessment_id, change, event_id)
    await refresh_next_round(repo, applied.state, refresh)
    return applied


async def _apply_once(
    repo: ScoringRepository, assessment_id: str, change: Change, event_id: str | None
) -> tuple[Applied, bool]:
    for attempt in range(MAX_ATTEMPTS):
        # The first attempt trusts what this process last saw; a lost race reads afresh.
        stored = await repo.load(assessment_id, cached=attempt == 0)
        if event_id is not None and event_id in stored.event_ids:
            # A redelivery may follow a crash between our save and the refresh.
            return Applied(stored, new_revision=False), True
        changed = change(stored)
        settled, results_change = settle(changed, await previous_round(repo, changed))
        if settled == stored:
            # Nothing to write, not even the event id: a repeat of it finds nothing to do either.
            return Applied(stored, new_revision=False), False
        settled = with_event(settled, event_id)
        jurisdiction = settled.info.jurisdiction if settled.info else ""
        outbox = outbox_for(jurisdiction, results_change, event_id)
        if await repo.save(settled, stored.version, outbox):
            new_revision = results_change is not None
            return Applied(settled, new_revision=new_revision), new_revision
    raise ConcurrentUpdateError(f"assessment {assessment_id}: too many concurrent writers")


async def refresh_next_round(repo: ScoringRepository, state: ScoringState, changed: bool) -> None:
    """New results here change the comparison shown by the jurisdiction's next round."""
    if not changed or state.info is None:
        return
    for follower in await repo.round_members(state.info.jurisdiction, state.info.round + 1):
        await apply_change(repo, follower, lambda s: s)
