"""FastAPI dependencies: the use cases' dependencies and the caller's principal."""

from fastapi import Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mgi_intake.service_layer.deps import Deps
from mgi_shared.auth import Principal


def get_deps(request: Request) -> Deps:
    deps: Deps = request.app.state.deps
    return deps


# Declared for the OpenAPI document; the check itself is the shared authenticator.
bearer = HTTPBearer(
    auto_error=False, description="an API key from POST /v1/api-keys, or the admin token"
)


async def get_principal(
    request: Request, _: HTTPAuthorizationCredentials | None = Security(bearer)
) -> Principal:
    """401 without a valid bearer key; which keys are valid is decided in bootstrap."""
    principal: Principal = await request.app.state.authenticate(request)
    return principal
