"""The dependencies every use case takes, built once in bootstrap (or by a test)."""

from dataclasses import dataclass

from pymongo.asynchronous.database import AsyncDatabase

from mgi_intake.adapters.api_keys import ApiKeyRepository
from mgi_intake.adapters.assessments import AssessmentRepository
from mgi_intake.adapters.catalogues import CatalogueStore
from mgi_intake.adapters.submissions import SubmissionRepository
from mgi_shared.mongo import Document


@dataclass(frozen=True)
class Deps:
    assessments: AssessmentRepository
    submissions: SubmissionRepository
    catalogues: CatalogueStore
    api_keys: ApiKeyRepository


def make_deps(db: AsyncDatabase[Document], catalogues: CatalogueStore) -> Deps:
    return Deps(
        assessments=AssessmentRepository(db),
        submissions=SubmissionRepository(db),
        catalogues=catalogues,
        api_keys=ApiKeyRepository(db),
    )
