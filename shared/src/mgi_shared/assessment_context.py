"""The assessment a piece of work is about, stamped on every span started meanwhile.

A consumer knows the assessment from the record's key, intake from the submission; the
spans under them (database commands, outgoing HTTP, Kafka sends) are started by
instrumentations that do not. A context variable carries the id down to them, so a trace
can be searched by `mgi.assessment_id` whichever span one looks at.
"""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.trace import Span, SpanProcessor
from starlette.requests import Request

ASSESSMENT_ID = "mgi.assessment_id"
SUBMISSION_ID = "mgi.submission_id"

_current: ContextVar[str | None] = ContextVar("mgi_assessment_id", default=None)


@contextlib.contextmanager
def about_assessment(assessment_id: str | None) -> Iterator[None]:
    """Spans started inside carry `mgi.assessment_id`; so does the current span."""
    if not assessment_id:
        yield
        return
    _stamp(ASSESSMENT_ID, assessment_id)
    token = _current.set(assessment_id)
    try:
        yield
    finally:
        _current.reset(token)


def mark_submission(assessment_id: str, submission_id: str) -> None:
    """Name the submission on the current span, so `mgi trace SUBMISSION_ID` finds its trace,
    and the assessment for the spans that follow in this task."""
    _stamp(SUBMISSION_ID, submission_id)
    _stamp(ASSESSMENT_ID, assessment_id)
    _current.set(assessment_id)


async def assessment_of_route(request: Request) -> None:
    """An app-wide FastAPI dependency: a route naming `{assessment_id}` is about it, from
    before its handler runs (dependencies share the handler's context)."""
    assessment_id = request.path_params.get("assessment_id")
    if assessment_id:
        _stamp(ASSESSMENT_ID, str(assessment_id))
        _current.set(str(assessment_id))


def _stamp(name: str, value: str) -> None:
    """On the current span, if it is still open (a task's inherited context may hold one that
    ended)."""
    span = trace.get_current_span()
    if span.is_recording():
        span.set_attribute(name, value)


def current_assessment() -> str | None:
    return _current.get()


class AssessmentSpanProcessor(SpanProcessor):
    """Copies the current assessment id onto each span as it starts."""

    def on_start(self, span: Span, parent_context: otel_context.Context | None = None) -> None:
        assessment_id = _current.get()
        if assessment_id is not None:
            span.set_attribute(ASSESSMENT_ID, assessment_id)
