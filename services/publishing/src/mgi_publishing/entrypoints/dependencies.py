"""FastAPI dependencies: what `wire` puts on the app at start."""

from typing import Annotated

from fastapi import Depends, Request

from mgi_publishing.service_layer.handlers import Deps


def get_deps(request: Request) -> Deps:
    deps: Deps = request.app.state.deps
    return deps


Services = Annotated[Deps, Depends(get_deps)]
