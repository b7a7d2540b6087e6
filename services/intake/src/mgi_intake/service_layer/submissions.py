"""Accepting a submission: the one code path behind HTTP, Kafka and KoboToolbox.

The submission and its accepted event are one document insert keyed by
`submission_id`, so a repeat (same body) or a race between two copies stores
and emits once; the same id with another body is a conflict.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from mgi_intake.domain.draft import Draft
from mgi_intake.domain.parsing import Parsed
from mgi_intake.domain.validation import AssessmentFacts, in_field_order, validate_submission
from mgi_intake.service_layer.assessments import covers
from mgi_intake.service_layer.deps import Deps
from mgi_intake.service_layer.errors import (
    ConflictError,
    ForbiddenError,
    InvalidError,
    TooLargeError,
)
from mgi_shared.assessment_context import mark_submission
from mgi_shared.auth import Principal
from mgi_shared.contracts import topics
from mgi_shared.contracts.envelope import EventEnvelope
from mgi_shared.contracts.payloads import (
    AssessmentStatus,
    EventType,
    SubmissionAcceptedData,
)
from mgi_shared.contracts.submission import Submission
from mgi_shared.kafka.wire import MAX_EVENT_BYTES
from mgi_shared.mongo import Document
from mgi_shared.outbox import entry_value, outbox_entry
from mgi_shared.problems import Problem


@dataclass(frozen=True)
class Incoming:
    """A body as read from its source: the submission if its schema holds, else the schema's
    problems; in both cases the draft that the checks against the assessment read."""

    submission: Submission | None
    draft: Draft
    schema_problems: list[Problem] = field(default_factory=list)
    raw: str = ""
    body_fingerprint: str = ""
    source: str = "http"
    supersedes: str | None = None

    @staticmethod
    def of(parsed: Parsed, raw: str, body_fingerprint: str, source: str) -> "Incoming":
        return Incoming(
            parsed.submission, parsed.draft, parsed.problems, raw, body_fingerprint, source
        )


@dataclass(frozen=True)
class Accepted:
    submission_id: str
    created: bool  # False: this very body was accepted before


async def accept_submission(
    incoming: Incoming, principal: Principal | None, deps: Deps
) -> Accepted:
    """`principal` is None for trusted internal sources (the Kafka topic)."""
    assessment_id = incoming.draft.assessment_id
    if assessment_id is None:
        # Without a readable assessment id nothing else can be checked (nor the caller's scope).
        raise InvalidError(incoming.schema_problems, "schema")
    _mark(incoming)
    assessment = await target_assessment(assessment_id, principal, deps)
    return await accept_into(incoming, assessment, deps)


async def target_assessment(
    assessment_id: str, principal: Principal | None, deps: Deps
) -> Document | None:
    """The assessment a submission is for (None if unknown: validation names it), once the
    caller's key is checked against its jurisdiction."""
    assessment = await deps.assessments.get(assessment_id)
    if assessment is not None and principal is not None and not covers(principal, assessment):
        raise ForbiddenError(f"this API key is not scoped to {assessment['jurisdiction']['code']}")
    return assessment


async def accept_into(incoming: Incoming, assessment: Document | None, deps: Deps) -> Accepted:
    """Validate and store `incoming` into `assessment`, read and checked by `target_assessment`.
    Every problem, the schema's and the assessment's, is refused in one InvalidError."""
    _mark(incoming)
    draft = incoming.draft
    facts = await _facts(assessment, draft.actor_id, incoming.supersedes, deps)
    received_at = datetime.now(UTC)
    problems = validate_submission(draft, facts, received_at)
    submission = incoming.submission
    if submission is None:
        raise InvalidError(in_field_order(incoming.schema_problems + problems), "schema")
    if problems:
        # A copy of one accepted before is answered as accepted, even though the assessment
        # has since moved on. Looked for only here and when the insert finds the id taken:
        # most submissions are new, and one read fewer each is what keeps intake fast.
        previous = await _earlier_copy(incoming, deps)
        if previous is not None:
            return previous
        raise InvalidError(problems)
    assert assessment is not None
    document, event = _document_and_event(incoming, assessment, received_at)
    _refuse_unpublishable(event)
    if await deps.submissions.insert_once(document, [event]):
        await _count(document, deps)
        return Accepted(submission.submission_id, created=True)
    # Lost a race with an identical (or conflicting) copy stored meanwhile.
    return await _earlier_copy(incoming, deps) or Accepted(submission.submission_id, False)


def _refuse_unpublishable(entry: Document) -> None:
    """Stored means published sooner or later: what the broker would refuse is not stored."""
    size = len(entry_value(entry))
    if size > MAX_EVENT_BYTES:
        message = (
            f"the accepted event would be {size} bytes, over the limit of "
            f"{MAX_EVENT_BYTES} bytes for one event: send fewer or shorter answers"
        )
        raise TooLargeError([Problem("body", message)])


def _mark(incoming: Incoming) -> None:
    # `mgi trace SUBMISSION_ID` finds the trace by this attribute (HTTP, Kafka and Kobo alike).
    draft = incoming.draft
    if draft.assessment_id is not None and draft.submission_id is not None:
        mark_submission(draft.assessment_id, draft.submission_id)


async def _earlier_copy(incoming: Incoming, deps: Deps) -> Accepted | None:
    assert incoming.submission is not None
    stored = await deps.submissions.get(incoming.submission.submission_id)
    if stored is None:
        return None
    if stored["fingerprint"] != incoming.body_fingerprint:
        raise ConflictError(
            f"submission '{stored['_id']}' was accepted before with a different body"
        )
    if stored.get("counted") is False:
        # Stored, but the process stopped before counting it: the sender's retry counts it.
        await _count(stored, deps)
    return Accepted(stored["_id"], created=False)


async def _count(stored: Document, deps: Deps) -> None:
    if await deps.submissions.claim_for_counting(stored["_id"]):
        assessment_id, actor_id = stored["assessment_id"], stored["actor_id"]
        position = await deps.assessments.count_submission(
            assessment_id, actor_id, stored["received_at"]
        )
        await deps.submissions.remember(assessment_id, stored["_id"], actor_id, position)


async def _facts(
    assessment: Document | None, actor_id: str | None, supersedes: str | None, deps: Deps
) -> AssessmentFacts | None:
    if assessment is None:
        return None
    catalogue = await deps.catalogues.get(assessment["catalogue_version"])
    # An edit of a submission intake never received (sent before the form was connected) is
    # accepted as it stands: it can replace nothing here.
    replaced = await deps.submissions.get(supersedes) if supersedes else None
    return AssessmentFacts(
        assessment_id=assessment["_id"],
        status=AssessmentStatus(assessment["status"]),
        catalogue_codes=frozenset(catalogue.codes() if catalogue else ()),
        assigned=await deps.assessments.assigned(assessment["_id"], actor_id) if actor_id else None,
        superseded_owner=(replaced["assessment_id"], replaced["actor_id"]) if replaced else None,
    )


def _document_and_event(
    incoming: Incoming, assessment: Document, received_at: datetime
) -> tuple[Document, Document]:
    submission = incoming.submission
    assert submission is not None
    jurisdiction = assessment["jurisdiction"]["code"]
    answers = [answer.model_dump(mode="json") for answer in submission.answers]
    event = EventEnvelope[SubmissionAcceptedData](
        event_type=EventType.SUBMISSION_ACCEPTED,
        assessment_id=submission.assessment_id,
        jurisdiction=jurisdiction,
        data=SubmissionAcceptedData(
            submission_id=submission.submission_id,
            actor_id=submission.actor_id,
            language=submission.language,
            submitted_at=submission.submitted_at,
            received_at=received_at,
            catalogue_version=assessment["catalogue_version"],
            answers=submission.answers,
            supersedes=incoming.supersedes,
            source=incoming.source,
        ),
    )
    document = {
        "_id": submission.submission_id,
        "assessment_id": submission.assessment_id,
        "jurisdiction": jurisdiction,
        "actor_id": submission.actor_id,
        "language": submission.language,
        "submitted_at": submission.submitted_at,
        "received_at": received_at,
        "answers": answers,
        "supersedes": incoming.supersedes,
        "source": incoming.source,
        "raw": incoming.raw,
        "fingerprint": incoming.body_fingerprint,
        "event_id": str(event.event_id),
        "counted": False,
    }
    return document, outbox_entry(topics.SUBMISSIONS_ACCEPTED, submission.assessment_id, event)
