"""`POST /v1/rescore` (admin): recompute from stored answers, as `mgi rescore` asks.

Runs inside the service so the new revisions go through the same compare-and-set
and outbox as every other change; the service's relay publishes them.
"""

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field, model_validator

from mgi_scoring.entrypoints.dependencies import Repository
from mgi_scoring.service_layer.handlers import NotFoundError, rescore
from mgi_shared.auth import require_role
from mgi_shared.http_auth import Caller

router = APIRouter(prefix="/v1", tags=["operations"])


class RescoreRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    assessment_id: str | None = Field(default=None, max_length=128)
    all_assessments: bool = Field(default=False, alias="all")

    @model_validator(mode="after")
    def one_target(self) -> "RescoreRequest":
        if (self.assessment_id is not None) == self.all_assessments:
            raise ValueError("give either assessment_id or all: true")
        return self


class RescorePublic(BaseModel):
    rescored: int
    changed: list[str]


@router.post("/rescore", summary="Recompute results from stored answers (admin)",
             responses={401: {"description": "missing or unknown API key"},
                        403: {"description": "admin only"}})  # fmt: skip
async def rescore_route(body: RescoreRequest, principal: Caller, repo: Repository) -> RescorePublic:
    require_role(principal)  # no role besides admin may rescore
    targets = None if body.all_assessments else [str(body.assessment_id)]
    try:
        if targets is None:
            targets = await repo.all_ids()
        changed = await rescore(repo, targets)
    except NotFoundError as error:
        raise HTTPException(404, str(error)) from error
    return RescorePublic(rescored=len(targets), changed=changed)
