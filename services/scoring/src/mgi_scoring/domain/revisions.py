"""Recompute an assessment's results and number them only when they really changed."""

from dataclasses import dataclass, replace

from mgi_scoring.domain.answers import current_answers
from mgi_scoring.domain.comparison import compare
from mgi_scoring.domain.results import IndicatorResult, Results
from mgi_scoring.domain.scoring import compute_results
from mgi_scoring.domain.state import PreviousRound, ScoringState


@dataclass(frozen=True)
class ResultsChange:
    """A new revision, and what the results.updated event says about it."""

    results: Results
    changed: list[IndicatorResult]
    open_conflicts: list[str]
    completed: bool


def current_results(state: ScoringState, previous: PreviousRound | None) -> Results | None:
    """None until the catalogue is known: answers may arrive before their assessment."""
    if state.info is None:
        return None
    results = compute_results(state.assessment_id, state.info.catalogue,
                              current_answers(state.answers), state.resolutions, state.results)  # fmt: skip
    if state.info.round > 1 and previous is not None:
        mapping = state.info.catalogue.previous_codes()
        comparison = compare(results, previous.results, previous.round, mapping)
        results = results.model_copy(update={"comparison": comparison})
    return results


def changed_indicators(old: Results | None, new: Results) -> list[IndicatorResult]:
    before = {i.indicator: i for i in old.indicators} if old else {}
    return [i for i in new.indicators if before.get(i.indicator) != i]


def settle(
    state: ScoringState, previous: PreviousRound | None
) -> tuple[ScoringState, ResultsChange | None]:
    """The state with fresh results; a change only when they differ from the stored ones."""
    results = current_results(state, previous)
    if results is None or results.same_as(state.results):
        return state, None
    numbered = results.model_copy(update={"revision": state.revision + 1})
    # `completed` is announced once: the first revision whose completeness reaches 1.0.
    first_complete = numbered.completeness >= 1.0 and not state.completed
    change = ResultsChange(
        results=numbered,
        changed=changed_indicators(state.results, numbered),
        open_conflicts=numbered.open_conflicts(),
        completed=first_complete,
    )
    settled = replace(state, results=numbered, completed=state.completed or first_complete)
    return settled, change
