"""FastAPI dependencies: the use cases' dependencies (the caller is `mgi_shared.http_auth`)."""

from fastapi import Request

from mgi_intake.service_layer.deps import Deps
from mgi_shared.http_auth import get_principal

__all__ = ["get_deps", "get_principal"]


def get_deps(request: Request) -> Deps:
    deps: Deps = request.app.state.deps
    return deps
