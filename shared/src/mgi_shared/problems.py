"""A problem with an input, named by the field it concerns (e.g. `answers[2].indicator`)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


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
        problems.append(Problem(field_path(loc) or "body", str(error.get("msg", "invalid"))))
    return problems
