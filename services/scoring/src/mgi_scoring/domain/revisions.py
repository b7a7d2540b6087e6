"""Recompute an assessment's results and number them only when they really changed."""

from dataclasses import dataclass, replace

from mgi_scoring.domain.answers import AnswerBook, answered_differently, current_answers
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


def current_results(
    state: ScoringState, previous: PreviousRound | None, answers_before: AnswerBook | None = None
) -> Results | None:
    """None until the catalogue is known: answers may arrive before their assessment.

    `answers_before`: the book that the state's results were computed from, when nothing but
    the answers changed since (a submission): then only the indicators whose answers differ
    are worked out again, a few of the 98 (see `answers.answered_differently`)."""
    if state.info is None:
        return None
    catalogue, before = state.info.catalogue, state.results
    only = None
    same_catalogue = before is not None and before.catalogue_version == catalogue.version
    if answers_before is not None and same_catalogue:
        only = answered_differently(answers_before, state.answers)
    results = compute_results(state.assessment_id, catalogue,
                              current_answers(state.answers, only), state.resolutions, before,
                              only)  # fmt: skip
    if state.info.round > 1 and previous is not None:
        mapping = state.info.catalogue.previous_codes()
        comparison = compare(results, previous.results, previous.round, mapping)
        results = results.model_copy(update={"comparison": comparison})
    return results


def changed_indicators(old: Results | None, new: Results) -> list[IndicatorResult]:
    before = {i.indicator: i for i in old.indicators} if old else {}
    return [i for i in new.indicators if (was := before.get(i.indicator)) is not i and was != i]


def settle(
    state: ScoringState, previous: PreviousRound | None, answers_before: AnswerBook | None = None
) -> tuple[ScoringState, ResultsChange | None]:
    """The state with fresh results; a change only when they differ from the stored ones.
    `answers_before`: as for `current_results`."""
    results = current_results(state, previous, answers_before)
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
