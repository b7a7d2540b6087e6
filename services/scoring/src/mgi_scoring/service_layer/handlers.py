"""The scoring use cases, as plain functions over a repository."""

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime

from mgi_scoring.domain.answers import StoredSubmission, current_answers, latest_key
from mgi_scoring.domain.consolidation import IndicatorStatus, Resolution
from mgi_scoring.domain.results import Results
from mgi_scoring.domain.state import (
    AssessmentInfo,
    ScoringState,
    results_frozen,
    with_info,
    with_resolution,
    with_submission,
)
from mgi_scoring.ports import ScoringRepository
from mgi_scoring.service_layer.updates import Applied, Step, Within, apply_change, apply_changes
from mgi_shared.contracts.payloads import AssessmentChanged, SubmissionAccepted
from mgi_shared.contracts.submission import AnswerValue


class NotFoundError(LookupError):
    """No results (yet) for that assessment, or no such indicator in its catalogue."""


class NotInConflictError(ValueError):
    """Only an indicator in conflict (or already resolved) takes a reviewer's value."""


class ResultsFrozenError(ValueError):
    """The assessment is validated (or published): its results no longer change by review."""


async def record_submission(
    repo: ScoringRepository, assessment_id: str, event: SubmissionAccepted
) -> Applied:
    return await apply_changes(repo, assessment_id, [submission_step(event)])


async def record_submissions(
    repo: ScoringRepository,
    assessment_id: str,
    events: list[tuple[SubmissionAccepted, Within]],
) -> Applied:
    """Several submissions to one assessment, in order, stored in one write; each event is
    worked out `within` the context given with it (its record's trace)."""
    return await apply_changes(repo, assessment_id, [submission_step(e, w) for e, w in events])


def submission_step(event: SubmissionAccepted, within: Within = nullcontext) -> Step:
    data = event.data
    submission = StoredSubmission(
        submission_id=data.submission_id,
        actor_id=data.actor_id,
        submitted_at=data.submitted_at,
        # Within one submission a repeated indicator keeps its last answer.
        answers={answer.indicator: answer.value for answer in data.answers},
        supersedes=data.supersedes,
    )
    return Step(
        lambda s: with_submission(s, submission), str(event.event_id), within, answers_only=True
    )


async def record_assessment(
    repo: ScoringRepository, assessment_id: str, event: AssessmentChanged
) -> Applied:
    data = event.data
    info = AssessmentInfo(
        jurisdiction=data.jurisdiction.code,
        round=data.round,
        scope=data.scope,
        status=data.status,
        catalogue=data.catalogue,
    )
    return await apply_change(
        repo, assessment_id, lambda s: with_info(s, info), event_id=str(event.event_id)
    )


async def resolve_indicator(
    repo: ScoringRepository,
    assessment_id: str,
    indicator: str,
    value: AnswerValue,
    note: str,
    resolved_by: str,
    now: datetime,
) -> Applied:
    def resolve(state: ScoringState) -> ScoringState:
        if state.info is not None and results_frozen(state.info.status):
            raise ResultsFrozenError(
                f"assessment {assessment_id} is {state.info.status.value}: its results no longer "
                "take resolutions; a correction goes into a new round of the assessment"
            )
        current = state.results.indicator(indicator) if state.results else None
        if current is None:
            raise NotFoundError(f"no indicator {indicator} in the results of {assessment_id}")
        if current.status is not IndicatorStatus.CONFLICT and not current.resolved:
            raise NotInConflictError(f"indicator {indicator} is {current.status.value}")
        answers = current_answers(state.answers).get(indicator, {})
        resolution = Resolution(indicator, value, note, latest_key(answers), resolved_by, now)
        return with_resolution(state, resolution)

    return await apply_change(repo, assessment_id, resolve)


@dataclass(frozen=True)
class ResultsView:
    jurisdiction: str  # for the caller's scope check
    results: Results
    # Not part of the results (it never bumps the revision): how many distinct submissions
    # the results reflect, so a client can tell when its submissions have all been scored.
    submissions_applied: int


async def read_results(repo: ScoringRepository, assessment_id: str) -> ResultsView:
    state = await repo.load(assessment_id)
    if state.info is None or state.results is None:
        raise NotFoundError(f"no results for assessment {assessment_id}")
    return ResultsView(state.info.jurisdiction, state.results, state.answers.applied)


async def rescore(repo: ScoringRepository, assessment_ids: list[str] | None) -> list[str]:
    """Recompute from stored answers; returns the assessments that got a new revision."""
    targets = assessment_ids if assessment_ids is not None else await repo.all_ids()
    for assessment_id in targets:
        if (await repo.load(assessment_id)).info is None:
            raise NotFoundError(f"no assessment {assessment_id} known to scoring")
    changed: list[str] = []
    for assessment_id in targets:
        if (await apply_change(repo, assessment_id, lambda s: s)).new_revision:
            changed.append(assessment_id)
    return changed
