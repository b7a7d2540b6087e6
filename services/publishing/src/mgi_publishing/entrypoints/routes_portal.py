"""Operations behind `mgi portal resync` (admin): list the published profiles, and publish one
again. Inside the service, so a resync is recorded and announced like any publication."""

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from mgi_publishing.entrypoints.dependencies import Services
from mgi_publishing.service_layer.handlers import NotPublishableError, resync
from mgi_shared.auth import require_role
from mgi_shared.http_auth import Caller

router = APIRouter(prefix="/v1/portal", tags=["operations"])
ADMIN_ONLY: dict[int | str, dict[str, str]] = {
    401: {"description": "missing or unknown API key"},
    403: {"description": "admin only"},
}


class PublishedProfiles(BaseModel):
    assessment_ids: list[str]


class ResyncRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assessment_id: str = Field(min_length=1, max_length=128)


class ResyncResult(BaseModel):
    assessment_id: str
    revision: int
    succeeded: bool
    target: str
    location: str | None
    error: str | None
    attempts: int


@router.get("/profiles", summary="Assessments with a profile on the portal (admin)",
            responses=ADMIN_ONLY)  # fmt: skip
async def published_profiles(principal: Caller, deps: Services) -> PublishedProfiles:
    require_role(principal)
    return PublishedProfiles(assessment_ids=await deps.repo.published_ids())


@router.post("/resync", summary="Publish an assessment's profile again (admin)",
             responses={**ADMIN_ONLY, 409: {"description": "not validated, or no results"}})  # fmt: skip
async def resync_profile(body: ResyncRequest, principal: Caller, deps: Services) -> ResyncResult:
    require_role(principal)
    try:
        outcome = await resync(deps, body.assessment_id)
    except NotPublishableError as error:
        raise HTTPException(409, str(error)) from error
    return ResyncResult(
        assessment_id=body.assessment_id,
        revision=outcome.attempts[-1].revision,
        succeeded=outcome.succeeded,
        target=outcome.target,
        location=outcome.location,
        error=outcome.error,
        attempts=len(outcome.attempts),
    )
