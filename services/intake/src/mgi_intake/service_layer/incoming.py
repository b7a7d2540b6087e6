"""Turning what each source sends into an `Incoming` submission (or the problems found).

Schema problems ride along on the `Incoming` instead of being raised here: the
use case adds the problems with the assessment and refuses them all at once.
"""

from mgi_intake.domain.kobo import kobo_field_names, map_kobo
from mgi_intake.domain.parsing import decode_json, fingerprint, json_text, parse_submission
from mgi_intake.service_layer.deps import Deps
from mgi_intake.service_layer.errors import InvalidError
from mgi_intake.service_layer.submissions import Incoming
from mgi_shared.mongo import Document
from mgi_shared.problems import Problem


def from_json_body(raw: bytes, source: str) -> Incoming:
    """HTTP and Kafka send the same JSON body (contract section 4)."""
    body, problem = decode_json(raw)
    if problem is not None:
        raise InvalidError([problem], "not_json")
    parsed = parse_submission(body)
    text = raw.decode("utf-8", "replace")  # json.loads also reads UTF-16/32 bodies
    return Incoming.of(parsed, text, fingerprint(body), source)


async def from_kobo(
    raw: bytes, assessment_id: str, assessment: Document | None, deps: Deps
) -> tuple[Incoming, list[str]]:
    """The Kobo payload mapped to a submission for `assessment` (as the route read it);
    also each answer's Kobo field name. Problems are named as the submission's fields
    (`answers[0].value`): the route renames them to Kobo's once all are known."""
    payload, problem = decode_json(raw)
    if problem is not None:
        raise InvalidError([problem], "not_json")
    if not isinstance(payload, dict):
        raise InvalidError([Problem("body", "expected a JSON object")], "schema")
    codes = await _catalogue_codes(assessment_id, assessment, deps)
    mapping = map_kobo(payload, assessment_id, codes)
    parsed = parse_submission(mapping.body)
    # The mapping's own problems already name Kobo fields (`_submission_time`); the schema's
    # problem with the same field says less, so it is left out.
    named = {problem.field for problem in mapping.problems}
    schema = [p for p in parsed.problems if kobo_field_names([p], [])[0].field not in named]
    problems = mapping.problems + schema
    # Stored as text: Kobo field names may hold characters MongoDB keys refuse.
    text = json_text(payload)
    incoming = Incoming(
        None if problems else parsed.submission,
        parsed.draft,
        problems,
        text,
        fingerprint(payload),
        "kobo",
        mapping.supersedes,
    )
    return incoming, mapping.answer_fields


async def _catalogue_codes(
    assessment_id: str, assessment: Document | None, deps: Deps
) -> frozenset[str]:
    if assessment is None:
        raise InvalidError([Problem("assessment_id", f"unknown assessment '{assessment_id}'")])
    catalogue = await deps.catalogues.get(assessment["catalogue_version"])
    return frozenset(catalogue.codes() if catalogue else ())
