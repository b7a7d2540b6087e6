"""From bytes to a `Submission`, with a fingerprint of the body for idempotency."""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from mgi_intake.domain.draft import Draft, draft_from_body, draft_of
from mgi_shared.contracts.submission import Submission
from mgi_shared.problems import Problem, from_pydantic

EMPTY_DRAFT = Draft(None, None, None, None, ())


@dataclass(frozen=True)
class Parsed:
    """Either a submission or the problems that kept it from being one; in both cases the
    draft: what the body claims, for the checks against the assessment."""

    submission: Submission | None
    draft: Draft = EMPTY_DRAFT
    problems: list[Problem] = field(default_factory=list)
    reason: str = ""


def fingerprint(body: Any) -> str:
    """The same JSON, whatever its key order or spacing, gives the same hash."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # surrogatepass: JSON may hold lone surrogates ("\ud800"), which strict UTF-8 refuses.
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def json_text(value: Any) -> str:
    """`value` as JSON text that is valid UTF-8 (so the database can store it): readable
    where it can be, with lone surrogates left as \\u escapes."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value)
    return text


def decode_json(raw: bytes) -> tuple[Any, Problem | None]:
    try:
        return json.loads(raw), None
    except ValueError as error:
        # JSONDecodeError and UnicodeDecodeError, but also the ValueError of an integer
        # literal longer than Python's 4300 digits, which is not a JSONDecodeError.
        return None, Problem("body", f"not valid JSON: {str(error)[:200]}")
    except RecursionError:
        # json.loads gives up on deeply nested arrays with RecursionError, not a decode error.
        return None, Problem("body", "not valid JSON: nested too deeply")


def parse_submission(body: Any) -> Parsed:
    if not isinstance(body, dict):
        return Parsed(None, EMPTY_DRAFT, [Problem("body", "expected a JSON object")], "schema")
    try:
        submission = Submission.model_validate(body)
    except ValidationError as error:
        problems = from_pydantic(error.errors())  # type: ignore[arg-type]
        return Parsed(None, draft_from_body(body), problems, "schema")
    return Parsed(submission, draft_of(submission))
