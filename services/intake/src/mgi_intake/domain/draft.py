"""What a submission body claims, read as far as each field allows.

A body with a schema error still names an assessment, an actor and indicator
codes; reading them one field at a time lets validation check those too, so one
422 names every problem instead of only the schema's.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from mgi_shared.contracts.submission import MAX_ANSWERS, Answer, Submission


@dataclass(frozen=True)
class Draft:
    """Each field as the body gives it, or None where the body's value is not valid."""

    submission_id: str | None
    assessment_id: str | None
    actor_id: str | None
    submitted_at: datetime | None
    # One entry per position in `answers`, None where that answer's code is unreadable.
    indicators: tuple[str | None, ...]


def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    """The rule of one field of `model` on its own (type and limits), to read it alone."""
    info = model.model_fields[name]
    # Built at run time from the model, so the limits live in one place (the model).
    return TypeAdapter(Annotated[info.annotation, info])  # type: ignore[arg-type]


_FIELDS = {
    name: _field_adapter(Submission, name)
    for name in ("submission_id", "assessment_id", "actor_id", "submitted_at")
}
_INDICATOR = _field_adapter(Answer, "indicator")


def draft_of(submission: Submission) -> Draft:
    return Draft(
        submission_id=submission.submission_id,
        assessment_id=submission.assessment_id,
        actor_id=submission.actor_id,
        submitted_at=submission.submitted_at,
        indicators=tuple(answer.indicator for answer in submission.answers),
    )


def draft_from_body(body: dict[str, Any]) -> Draft:
    """The readable parts of a body that failed the schema."""
    answers = body.get("answers")
    # No more than the schema allows: a list far too long is one problem, not one per item.
    readable = answers[:MAX_ANSWERS] if isinstance(answers, list) else []
    return Draft(
        submission_id=_read(_FIELDS["submission_id"], body.get("submission_id")),
        assessment_id=_read(_FIELDS["assessment_id"], body.get("assessment_id")),
        actor_id=_read(_FIELDS["actor_id"], body.get("actor_id")),
        submitted_at=_read(_FIELDS["submitted_at"], body.get("submitted_at")),
        indicators=tuple(
            _read(_INDICATOR, answer.get("indicator")) if isinstance(answer, dict) else None
            for answer in readable
        ),
    )


def _read(adapter: TypeAdapter[Any], value: object) -> Any:
    if value is None:
        return None
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return None
