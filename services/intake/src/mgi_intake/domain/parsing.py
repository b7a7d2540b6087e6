"""From bytes to a `Submission`, with a fingerprint of the body for idempotency."""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from mgi_shared.contracts.submission import Submission
from mgi_shared.problems import Problem, from_pydantic


@dataclass(frozen=True)
class Parsed:
    """Either a submission or the problems that kept it from being one."""

    submission: Submission | None
    problems: list[Problem] = field(default_factory=list)
    reason: str = ""


def fingerprint(body: Any) -> str:
    """The same JSON, whatever its key order or spacing, gives the same hash."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def decode_json(raw: bytes) -> tuple[Any, Problem | None]:
    try:
        return json.loads(raw), None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, Problem("body", f"not valid JSON: {error}")


def parse_submission(body: Any) -> Parsed:
    if not isinstance(body, dict):
        return Parsed(None, [Problem("body", "expected a JSON object")], "schema")
    try:
        return Parsed(Submission.model_validate(body))
    except ValidationError as error:
        return Parsed(None, from_pydantic(error.errors()), "schema")  # type: ignore[arg-type]
