"""GET /v1/assessments/{id}/submissions: who answered what, when, and what replaced what."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from mgi_intake.entrypoints.dependencies import REFUSALS, Caller, Services
from mgi_intake.schemas import ID, SubmissionHistory
from mgi_intake.service_layer.assessments import require_assessment
from mgi_intake.service_layer.history import submission_history
from mgi_shared.auth import Role, require_jurisdiction, require_role

router = APIRouter(prefix="/v1/assessments", tags=["submissions"])
Identifier = Annotated[str | None, Query(max_length=128, pattern=ID)]


@router.get("/{assessment_id}/submissions", response_model=SubmissionHistory,
            responses=REFUSALS,
            summary="The assessment's submissions, what replaced what and which answers count "
                    "(admin, or a reviewer of the jurisdiction)")  # fmt: skip
async def history(
    assessment_id: Annotated[str, Path(max_length=128, pattern=ID)],
    caller: Caller,
    deps: Services,
    actor: Identifier = None,
    indicator: Annotated[
        str | None, Query(max_length=64, pattern=ID, description="only answers to this indicator")
    ] = None,
) -> SubmissionHistory:
    require_role(caller, Role.REVIEWER)
    assessment = await require_assessment(assessment_id, deps)
    require_jurisdiction(caller, assessment["jurisdiction"]["code"])
    return await submission_history(assessment, deps, actor, indicator)
