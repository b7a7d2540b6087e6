"""Thin Kafka handlers: each event type to its use case (mgi_shared.kafka.events.handling
parses the envelope and names the assessment)."""

from functools import partial

from mgi_scoring.ports import ScoringRepository
from mgi_scoring.service_layer.handlers import (
    record_assessment,
    record_submission,
    record_submissions,
)
from mgi_shared.contracts.payloads import AssessmentChanged, SubmissionAccepted
from mgi_shared.kafka.events import assessment_of, handling, parse
from mgi_shared.kafka.records import PermanentError
from mgi_shared.kafka.reliable import Handler
from mgi_shared.kafka.together import Member, TogetherHandler


def on_submission_accepted(repo: ScoringRepository) -> Handler:
    return handling(SubmissionAccepted, partial(record_submission, repo))


def on_submissions_accepted_together(repo: ScoringRepository) -> TogetherHandler:
    """A batch's submissions to one assessment (one key), stored in one write."""

    async def handle(members: list[Member]) -> None:
        events = [(parse(SubmissionAccepted, m.record), m) for m in members]
        assessments = {assessment_of(event.assessment_id, m.record) for event, m in events}
        if len(assessments) != 1:  # the key names one assessment, the envelopes others
            raise PermanentError("records of one key name different assessments")
        await record_submissions(repo, assessments.pop(), [(e, m.within) for e, m in events])

    return handle


def on_assessment_changed(repo: ScoringRepository) -> Handler:
    return handling(AssessmentChanged, partial(record_assessment, repo))
