"""The dependencies every use case takes, built once in bootstrap (or by a test)."""

from collections.abc import Mapping
from dataclasses import dataclass

from pymongo.asynchronous.database import AsyncDatabase

from mgi_intake.adapters.api_keys import ApiKeyRepository
from mgi_intake.adapters.assessments import AssessmentRepository
from mgi_intake.adapters.catalogues import CatalogueStore
from mgi_intake.adapters.submissions import SubmissionRepository
from mgi_shared.mongo import Document
from mgi_shared.outbox import OutboxHints
from mgi_shared.settings import DEVELOPMENT_SIGNING_SECRET


@dataclass(frozen=True)
class Deps:
    assessments: AssessmentRepository
    submissions: SubmissionRepository
    catalogues: CatalogueStore
    api_keys: ApiKeyRepository
    # Signs announced API keys, so other services can tell them from forgeries.
    key_signing_secret: bytes = DEVELOPMENT_SIGNING_SECRET


def make_deps(
    db: AsyncDatabase[Document],
    catalogues: CatalogueStore,
    hints: Mapping[str, OutboxHints] | None = None,
    key_signing_secret: bytes = DEVELOPMENT_SIGNING_SECRET,
) -> Deps:
    """`hints`: per collection name, where to tell that collection's outbox relay of new
    entries; without them the relay's sweep finds the entries."""
    hints = hints or {}
    return Deps(
        assessments=AssessmentRepository(db, hints.get("assessments")),
        submissions=SubmissionRepository(db, hints.get("submissions")),
        catalogues=catalogues,
        api_keys=ApiKeyRepository(db, hints.get("api_keys")),
        key_signing_secret=key_signing_secret,
    )
