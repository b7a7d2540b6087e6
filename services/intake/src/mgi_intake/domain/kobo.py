"""A KoboToolbox REST Service payload (one submission, flat JSON) as a submission body.

Kobo flattens groups into `group/question` keys and adds its own `_*` fields,
`formhub/uuid`, `__version__`, `meta/*` and the XLSForm metadata questions
(start, end, ...). Only indicator questions become answers; everything stays in
the stored raw payload. `_submission_time` has no offset and is UTC.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mgi_shared.problems import Problem

# Indicator-like names that are not in the catalogue still become answers, so
# validation names them as unknown codes instead of silently dropping them.
CODE_LIKE = re.compile(r"^(?:[A-Z]-)?[A-Z]{2,5}-\d+(?:\.\d+)*$")
NOT_ANSWERS = {"start", "end", "today", "username", "deviceid", "simserial", "subscriberid",
               "phonenumber", "audit", "actor_id", "language"}  # fmt: skip
UUID_PREFIX = "uuid:"
# Kobo's field naming the submission an edit replaces (also how validation names the field).
SUPERSEDES_FIELD = "meta/deprecatedID"


@dataclass(frozen=True)
class KoboMapping:
    body: dict[str, Any]
    supersedes: str | None
    answer_fields: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def map_kobo(payload: dict[str, Any], assessment_id: str, codes: frozenset[str]) -> KoboMapping:
    leaves = {key: key.rsplit("/", 1)[-1] for key in payload if not _is_kobo_own(key)}
    by_leaf = {leaf: key for key, leaf in leaves.items()}
    answers, answer_fields = [], []
    for key, leaf in leaves.items():
        value = payload[key]
        if (
            leaf in NOT_ANSWERS
            or not (leaf in codes or CODE_LIKE.match(leaf))
            or value in ("", None)
        ):
            continue
        answer: dict[str, Any] = {"indicator": leaf, "value": value}
        evidence = payload.get(by_leaf.get(f"{leaf}_evidence", ""))
        if evidence:
            answer["evidence"] = evidence
        sources = payload.get(by_leaf.get(f"{leaf}_sources", ""))
        if isinstance(sources, str) and sources.strip():
            answer["sources"] = [s.strip() for s in re.split(r"[\n;]", sources) if s.strip()]
        answers.append(answer)
        answer_fields.append(key)
    submission_id = payload.get("_uuid") or _strip_uuid(payload.get("meta/instanceID"))
    submitted_at, problems = _submission_time(payload.get("_submission_time"))
    body = {
        "submission_id": submission_id,
        "assessment_id": assessment_id,
        "actor_id": payload.get(by_leaf.get("actor_id", "")),
        "language": payload.get(by_leaf.get("language", ""), "en"),
        "submitted_at": submitted_at,
        "answers": answers,
    }
    supersedes = _strip_uuid(payload.get(SUPERSEDES_FIELD))
    return KoboMapping(body, supersedes, answer_fields, problems)


def kobo_field_names(problems: list[Problem], answer_fields: list[str]) -> list[Problem]:
    """Name problems as the form author knows them: `rights/RGT-1.01`, not `answers[0]`."""
    top = {"submission_id": "_uuid", "submitted_at": "_submission_time"}
    renamed = []
    for problem in problems:
        match = re.match(r"^answers\[(\d+)\](?:\.(\w+))?", problem.field)
        name = top.get(problem.field, problem.field)
        if match and int(match.group(1)) < len(answer_fields):
            name = answer_fields[int(match.group(1))]
            if match.group(2) in ("evidence", "sources"):
                name = f"{name}_{match.group(2)}"
        renamed.append(Problem(name, problem.message))
    return renamed


def _is_kobo_own(key: str) -> bool:
    parts = key.split("/")
    return parts[0] in ("meta", "formhub") or any(part.startswith("_") for part in parts)


def _strip_uuid(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    return value.removeprefix(UUID_PREFIX)


def _submission_time(value: object) -> tuple[str | None, list[Problem]]:
    if not isinstance(value, str):
        return None, [Problem("_submission_time", "missing")]
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None, [Problem("_submission_time", f"not an ISO 8601 time: '{value}'")]
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(), []
