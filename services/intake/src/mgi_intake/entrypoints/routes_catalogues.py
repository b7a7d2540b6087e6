"""/v1/catalogues: list and read catalogues (any valid key); register one (admin)."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from mgi_intake.entrypoints.dependencies import REFUSALS, Caller, Services
from mgi_intake.schemas import CatalogueSummary
from mgi_intake.service_layer.errors import ConflictError, NotFoundError
from mgi_shared.auth import Role, require_role
from mgi_shared.catalogue.model import Catalogue

router = APIRouter(prefix="/v1/catalogues", tags=["catalogues"])


def summary(catalogue: Catalogue) -> CatalogueSummary:
    return CatalogueSummary(
        version=catalogue.version,
        scope=catalogue.scope,
        indicator_count=len(catalogue.indicators),
        languages=catalogue.languages,
        illustrative=catalogue.illustrative,
    )


@router.get("", response_model=list[CatalogueSummary], responses=REFUSALS,
            summary="Every catalogue version intake knows")  # fmt: skip
async def list_catalogues(_: Caller, deps: Services) -> list[CatalogueSummary]:
    return [summary(c) for c in await deps.catalogues.all()]


@router.get("/{version}", response_model=Catalogue, responses=REFUSALS,
            summary="One catalogue: domains with sub-areas, indicators with texts")  # fmt: skip
async def read_catalogue(
    version: Annotated[str, Path(max_length=64)], _: Caller, deps: Services
) -> Catalogue:
    catalogue = await deps.catalogues.get(version)
    if catalogue is None:
        raise NotFoundError(f"unknown catalogue '{version}'")
    return catalogue


@router.post("", status_code=201, response_model=CatalogueSummary, responses=REFUSALS,
             summary="Register a catalogue version (admin); the same again is 200")  # fmt: skip
async def register_catalogue(
    catalogue: Catalogue, response: Response, caller: Caller, deps: Services
) -> CatalogueSummary:
    require_role(caller, Role.ADMIN)
    outcome = await deps.catalogues.register(catalogue)
    if outcome == "conflict":
        raise ConflictError(f"catalogue '{catalogue.version}' exists with other content")
    response.status_code = 201 if outcome == "created" else 200
    return summary(catalogue)
