"""FastAPI dependencies: the use cases' dependencies (the caller is `mgi_shared.http_auth`)."""

from typing import Annotated

from fastapi import Depends, Request

from mgi_intake.schemas import Message, Problems
from mgi_intake.service_layer.deps import Deps
from mgi_shared.http_auth import Caller, get_principal

__all__ = ["REFUSALS", "Caller", "Services", "get_deps", "get_principal"]


def get_deps(request: Request) -> Deps:
    deps: Deps = request.app.state.deps
    return deps


Services = Annotated[Deps, Depends(get_deps)]
# The refusals most routes document; each route adds or drops its own.
REFUSALS: dict[int | str, dict[str, object]] = {
    401: {"model": Message}, 403: {"model": Message}, 404: {"model": Message},
    409: {"model": Message}, 422: {"model": Problems},
}  # fmt: skip
