"""/v1/assessments: create, read with counts, map actors, move through the workflow."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from mgi_intake.domain.listing import ListFilters
from mgi_intake.entrypoints.dependencies import REFUSALS, Caller, Services
from mgi_intake.schemas import (
    ID,
    ActorPublic,
    ActorPut,
    AssessmentCreate,
    AssessmentPage,
    AssessmentPublic,
    StatusChange,
)
from mgi_intake.service_layer import assessments as use_cases
from mgi_intake.service_layer.listing import list_assessments
from mgi_shared.auth import Role, require_jurisdiction, require_role
from mgi_shared.catalogue.model import Scope
from mgi_shared.contracts.payloads import AssessmentStatus

router = APIRouter(prefix="/v1/assessments", tags=["assessments"])
JURISDICTION = r"^[A-Z]{3}(-[A-Z0-9]{1,12})?$"
COVERS = "this jurisdiction and the local ones under it"
AssessmentId = Annotated[str, Path(max_length=128, pattern=ID)]


@router.post("", status_code=201, response_model=AssessmentPublic, responses=REFUSALS,
             summary="Create an assessment (admin); the same body again is 200")  # fmt: skip
async def create(
    body: AssessmentCreate, response: Response, caller: Caller, deps: Services
) -> AssessmentPublic:
    require_role(caller, Role.ADMIN)
    created, _ = await use_cases.create_assessment(body, deps)
    response.status_code = 201 if created else 200
    return await use_cases.view_assessment(body.assessment_id, deps)


@router.get("", response_model=AssessmentPage, responses=REFUSALS,
            summary="The assessments this key may see, last changed first, a page at a time")  # fmt: skip
async def list_(
    caller: Caller,
    deps: Services,
    jurisdiction: Annotated[
        str | None, Query(max_length=32, pattern=JURISDICTION, description=COVERS)
    ] = None,
    scope: Scope | None = None,
    round: Annotated[int | None, Query(ge=1, le=100)] = None,
    status: AssessmentStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    next: Annotated[str | None, Query(max_length=600, description="from the previous page")] = None,
) -> AssessmentPage:
    filters = ListFilters(jurisdiction, scope.value if scope else None, round,
                          status.value if status else None)  # fmt: skip
    return await list_assessments(caller, filters, limit, next, deps)


@router.get("/{assessment_id}", response_model=AssessmentPublic, responses=REFUSALS,
            summary="The assessment with its status and counts")  # fmt: skip
async def read(assessment_id: AssessmentId, caller: Caller, deps: Services) -> AssessmentPublic:
    view = await use_cases.view_assessment(assessment_id, deps)
    require_jurisdiction(caller, view.jurisdiction.code)
    return view


@router.put("/{assessment_id}/actors/{actor_id}", response_model=ActorPublic, responses=REFUSALS,
            summary="Set one actor of the actor map (admin)")  # fmt: skip
async def put_actor(
    assessment_id: AssessmentId,
    actor_id: Annotated[str, Path(max_length=128, pattern=ID)],
    body: ActorPut,
    caller: Caller,
    deps: Services,
) -> ActorPublic:
    require_role(caller, Role.ADMIN)
    await use_cases.put_actor(assessment_id, actor_id, body, deps)
    return ActorPublic(assessment_id=assessment_id, actor_id=actor_id, **body.model_dump())


@router.get("/{assessment_id}/actors", response_model=list[ActorPublic], responses=REFUSALS,
            summary="The actor map: every actor with its indicators, by actor id")  # fmt: skip
async def list_actors(
    assessment_id: AssessmentId, caller: Caller, deps: Services
) -> list[ActorPublic]:
    assessment = await use_cases.require_assessment(assessment_id, deps)
    require_jurisdiction(caller, assessment["jurisdiction"]["code"])
    return await use_cases.list_actors(assessment_id, deps)


@router.post("/{assessment_id}/status", response_model=AssessmentPublic, responses=REFUSALS,
             summary="Move to the next status (admin or reviewer); 409 names the allowed step")  # fmt: skip
async def change_status(
    assessment_id: AssessmentId, body: StatusChange, caller: Caller, deps: Services
) -> AssessmentPublic:
    require_role(caller, Role.REVIEWER)
    assessment = await use_cases.require_assessment(assessment_id, deps)
    require_jurisdiction(caller, assessment["jurisdiction"]["code"])
    await use_cases.change_status(assessment_id, body.status, deps)
    return await use_cases.view_assessment(assessment_id, deps)
