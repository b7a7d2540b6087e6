"""Thin Kafka handlers: each event type to its use case (mgi_shared.kafka.events.handling
parses the envelope and names the assessment)."""

from functools import partial

from mgi_publishing.service_layer.handlers import Deps, on_assessment_changed, on_results_updated
from mgi_shared.contracts.payloads import AssessmentChanged, ResultsUpdated
from mgi_shared.kafka.events import handling
from mgi_shared.kafka.reliable import Handler


def assessment_handler(deps: Deps) -> Handler:
    return handling(AssessmentChanged, partial(on_assessment_changed, deps))


def results_handler(deps: Deps) -> Handler:
    return handling(ResultsUpdated, partial(on_results_updated, deps))
