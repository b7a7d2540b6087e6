"""/v1/api-keys (admin): issue a key (shown once), list keys without secrets, revoke one."""

from typing import Annotated

from fastapi import APIRouter, Path

from mgi_intake.entrypoints.dependencies import Caller, Services
from mgi_intake.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic, Message, Problems
from mgi_intake.service_layer.api_keys import create_api_key, list_api_keys, revoke_api_key
from mgi_shared.auth import Role, require_role

router = APIRouter(prefix="/v1/api-keys", tags=["api keys"])
REFUSED: dict[int | str, dict[str, object]] = {401: {"model": Message}, 403: {"model": Message}}


@router.post("", status_code=201, response_model=ApiKeyCreated,
             responses={**REFUSED, 422: {"model": Problems}},
             summary="Issue an API key (admin); only its hash is stored")  # fmt: skip
async def issue_key(body: ApiKeyCreate, caller: Caller, deps: Services) -> ApiKeyCreated:
    require_role(caller, Role.ADMIN)
    return await create_api_key(body, deps)


@router.get("", response_model=list[ApiKeyPublic], responses=REFUSED,
            summary="Every issued key, without its secret (admin)")  # fmt: skip
async def list_keys(caller: Caller, deps: Services) -> list[ApiKeyPublic]:
    require_role(caller, Role.ADMIN)
    return await list_api_keys(deps)


@router.delete("/{key_id}", response_model=ApiKeyPublic,
               responses={**REFUSED, 404: {"model": Message}},
               summary="Revoke a key in every service at once (admin); again is no change")  # fmt: skip
async def revoke_key(
    key_id: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")],
    caller: Caller,
    deps: Services,
) -> ApiKeyPublic:
    require_role(caller, Role.ADMIN)
    return await revoke_api_key(key_id, deps)
