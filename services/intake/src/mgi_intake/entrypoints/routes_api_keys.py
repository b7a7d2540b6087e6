"""POST /v1/api-keys (admin): a new key, shown once."""

from typing import Annotated

from fastapi import APIRouter, Depends

from mgi_intake.entrypoints.dependencies import get_deps, get_principal
from mgi_intake.schemas import ApiKeyCreate, ApiKeyCreated, Message, Problems
from mgi_intake.service_layer.api_keys import create_api_key
from mgi_intake.service_layer.deps import Deps
from mgi_shared.auth import Principal, Role, require_role

router = APIRouter(prefix="/v1/api-keys", tags=["api keys"])


@router.post("", status_code=201, response_model=ApiKeyCreated,
             responses={401: {"model": Message}, 403: {"model": Message}, 422: {"model": Problems}},
             summary="Issue an API key (admin); only its hash is stored")  # fmt: skip
async def issue_key(
    body: ApiKeyCreate,
    caller: Annotated[Principal, Depends(get_principal)],
    deps: Annotated[Deps, Depends(get_deps)],
) -> ApiKeyCreated:
    require_role(caller, Role.ADMIN)
    return await create_api_key(body, deps)
