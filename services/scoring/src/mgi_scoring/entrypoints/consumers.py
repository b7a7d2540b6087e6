"""Thin Kafka handlers: each event type to its use case (mgi_shared.kafka.events.handling
parses the envelope and names the assessment)."""

from functools import partial

from mgi_scoring.ports import ScoringRepository
from mgi_scoring.service_layer.handlers import record_assessment, record_submission
from mgi_shared.contracts.payloads import AssessmentChanged, SubmissionAccepted
from mgi_shared.kafka.events import handling
from mgi_shared.kafka.reliable import Handler


def on_submission_accepted(repo: ScoringRepository) -> Handler:
    return handling(SubmissionAccepted, partial(record_submission, repo))


def on_assessment_changed(repo: ScoringRepository) -> Handler:
    return handling(AssessmentChanged, partial(record_assessment, repo))
