"""The caller's principal as a FastAPI dependency, the same on every service.

Routes are on the app from its creation (so the OpenAPI document needs no broker
or database); the authenticator they use is put on `app.state` when the service
wires itself up at start.
"""

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mgi_shared.auth import Principal

# Declared for the OpenAPI document; the check itself is the shared authenticator.
bearer = HTTPBearer(
    auto_error=False, description="an API key from intake's POST /v1/api-keys, or the admin key"
)


async def get_principal(
    request: Request, _: HTTPAuthorizationCredentials | None = Security(bearer)
) -> Principal:
    """401 without a valid bearer key."""
    principal: Principal = await request.app.state.authenticate(request)
    return principal


Caller = Annotated[Principal, Depends(get_principal)]
