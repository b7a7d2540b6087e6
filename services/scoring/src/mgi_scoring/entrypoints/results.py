"""HTTP: read results (any key scoped to the jurisdiction) and resolve conflicts (reviewers)."""

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path
from pydantic import BaseModel, ConfigDict, Field

from mgi_scoring.domain.results import IndicatorResult, Results
from mgi_scoring.entrypoints.dependencies import Repository
from mgi_scoring.ports import ScoringRepository
from mgi_scoring.service_layer.handlers import (
    NotFoundError,
    NotInConflictError,
    ResultsFrozenError,
    ResultsView,
    read_results,
    resolve_indicator,
)
from mgi_shared.auth import Role, require_jurisdiction, require_role
from mgi_shared.contracts.submission import AnswerValue
from mgi_shared.http_auth import Caller

AssessmentId = Annotated[str, Path(max_length=128)]

router = APIRouter(prefix="/v1/assessments", tags=["results"])
REFUSALS: dict[int | str, dict[str, str]] = {
    401: {"description": "missing or unknown API key"},
    403: {"description": "the key's role or jurisdictions do not allow it"},
    404: {"description": "no results: unknown assessment, or its catalogue not known yet"},
}


class ResolutionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # `unknown` would resolve nothing: a reviewer settles on an actual answer.
    value: Literal["yes", "partial", "no", "not_applicable"]
    note: str = Field(default="", max_length=4000)


class ResultsPublic(Results):
    submissions_applied: int = Field(
        description="distinct submissions these results reflect: a client can tell when all of "
        "its submissions have been scored (not part of the results: it never bumps the revision)"
    )


class ResolutionPublic(BaseModel):
    assessment_id: str
    revision: int
    indicator: IndicatorResult


@router.get("/{assessment_id}/results", responses=REFUSALS,
            summary="Indicator and domain results (any key scoped to the jurisdiction)")  # fmt: skip
async def get_results(
    assessment_id: AssessmentId, principal: Caller, repo: Repository
) -> ResultsPublic:
    view = await _results_or_404(repo, assessment_id)
    require_jurisdiction(principal, view.jurisdiction)
    return ResultsPublic(**dict(view.results), submissions_applied=view.submissions_applied)


@router.post("/{assessment_id}/indicators/{indicator}/resolution",
             responses={**REFUSALS, 409: {"description": "the indicator is not in conflict, or "
                                          "the assessment is validated or published"}},
             summary="Resolve a conflict between actors (reviewer of the jurisdiction)")  # fmt: skip
async def resolve(
    assessment_id: AssessmentId,
    indicator: Annotated[str, Path(max_length=64)],
    body: ResolutionRequest,
    principal: Caller,
    repo: Repository,
) -> ResolutionPublic:
    require_role(principal, Role.REVIEWER)
    view = await _results_or_404(repo, assessment_id)
    require_jurisdiction(principal, view.jurisdiction)
    try:
        applied = await resolve_indicator(
            repo,
            assessment_id,
            indicator,
            AnswerValue(body.value),
            body.note,
            principal.key_id,
            datetime.now(UTC),
        )
    except NotFoundError as error:
        raise HTTPException(404, str(error)) from error
    except NotInConflictError as error:
        raise HTTPException(409, f"{error}; only a conflict can be resolved") from error
    except ResultsFrozenError as error:
        raise HTTPException(409, str(error)) from error
    results = applied.state.results
    resolved = results.indicator(indicator) if results else None
    if results is None or resolved is None:
        raise HTTPException(404, f"no indicator {indicator}")
    return ResolutionPublic(
        assessment_id=assessment_id, revision=results.revision, indicator=resolved
    )


async def _results_or_404(repo: ScoringRepository, assessment_id: str) -> ResultsView:
    try:
        return await read_results(repo, assessment_id)
    except NotFoundError as error:
        raise HTTPException(404, str(error)) from error
