"""FastAPI dependencies: the repository that `wire` puts on the app at start."""

from typing import Annotated

from fastapi import Depends, Request

from mgi_scoring.ports import ScoringRepository


def get_repository(request: Request) -> ScoringRepository:
    repository: ScoringRepository = request.app.state.repository
    return repository


Repository = Annotated[ScoringRepository, Depends(get_repository)]
