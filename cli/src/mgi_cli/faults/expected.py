"""The results the acknowledged submissions must give, computed with scoring's own pure
domain code (no I/O): what a clean run of the same submissions gives, in any order."""

from collections.abc import Iterable
from datetime import datetime

from mgi_cli.bench.workload import Json
from mgi_scoring.domain.answers import StoredSubmission, current_answers
from mgi_scoring.domain.recording import replay
from mgi_scoring.domain.results import Results
from mgi_scoring.domain.scoring import compute_results
from mgi_shared.catalogue.loader import builtin_catalogues
from mgi_shared.catalogue.model import CatalogueStructure
from mgi_shared.contracts.submission import AnswerValue


def catalogue_structure(version: str) -> CatalogueStructure:
    return next(c for c in builtin_catalogues() if c.version == version).structure()


def expected_results(assessment_id: str, catalogue: CatalogueStructure, bodies: Iterable[Json]) -> Results:  # fmt: skip
    book = replay(
        StoredSubmission(
            submission_id=str(body["submission_id"]),
            actor_id=str(body["actor_id"]),
            submitted_at=datetime.fromisoformat(str(body["submitted_at"]).replace("Z", "+00:00")),
            answers={a["indicator"]: AnswerValue(a["value"]) for a in body["answers"]},
        )
        for body in bodies
    )
    return compute_results(assessment_id, catalogue, current_answers(book), {})


def same_results(found: Json, expected: Results) -> bool:
    """The service's results (revision and `submissions_applied` aside) equal the expected."""
    shown = {k: v for k, v in found.items() if k != "submissions_applied"}
    return Results.model_validate(shown).same_as(expected)
