"""A problem with an input, named by the field it concerns (e.g. `answers[2].indicator`)."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Long enough to recognise a value, short enough that a 1 MiB string is not echoed back.
SHOWN_CHARACTERS = 60


@dataclass(frozen=True)
class Problem:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": encodable(self.field), "message": encodable(self.message)}


def encodable(text: str) -> str:
    """`text` with lone surrogates escaped: JSON may carry them (`"\\ud800"` as a field name),
    UTF-8 cannot, and a problem must always be writable as a response or an event."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def field_path(loc: Sequence[str | int]) -> str:
    """('answers', 2, 'indicator') -> 'answers[2].indicator'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def from_pydantic(errors: Iterable[dict[str, object]], drop: Sequence[str] = ()) -> list[Problem]:
    """Pydantic's errors as problems; `drop` removes leading loc parts such as 'body'."""
    problems = []
    for error in errors:
        loc = [p for p in error.get("loc", ()) if isinstance(p, str | int)]  # type: ignore[attr-defined]
        if loc and loc[0] in drop:
            loc = loc[1:]
        problems.append(Problem(field_path(loc) or "body", describe(error)))
    return problems


def describe(error: dict[str, object]) -> str:
    """One pydantic error in words that name the offending value, so a sender sees what to fix
    without guessing which of its values was meant."""
    kind, message = error.get("type"), str(error.get("msg", "invalid"))
    if kind == "missing":
        return "required"
    if "input" not in error:
        return message
    given = shown(error["input"])
    if kind == "extra_forbidden":
        return f"unknown field (given {given})"
    if kind in ("enum", "literal_error"):
        expected = str((error.get("ctx") or {}).get("expected", ""))  # type: ignore[attr-defined]
        choices = re.findall(r"'([^']*)'", expected)
        if choices:
            return f"{given} is not one of {', '.join(choices)}"
    return f"{given}: {message[:1].lower()}{message[1:]}"


def shown(value: object) -> str:
    """A value as a problem names it: strings quoted and cut short, containers by their size."""
    if isinstance(value, str):
        if len(value) <= SHOWN_CHARACTERS:
            return repr(value)
        return f"{value[:SHOWN_CHARACTERS]!r}… ({len(value)} characters)"
    if isinstance(value, dict):
        return f"an object of {len(value)} fields"
    if isinstance(value, list | tuple):
        return f"a list of {len(value)} items"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return f"a {type(value).__name__}"
