"""Thin Kafka handlers: parse the envelope, name the assessment, call the use case."""

from collections.abc import Awaitable, Callable

from mgi_publishing.service_layer.handlers import Deps, on_assessment_changed, on_results_updated
from mgi_shared.contracts.payloads import AssessmentChanged, ResultsUpdated
from mgi_shared.kafka.events import assessment_of, parse
from mgi_shared.kafka.records import InboundRecord

RecordHandler = Callable[[InboundRecord], Awaitable[None]]


def assessment_handler(deps: Deps) -> RecordHandler:
    async def handle(record: InboundRecord) -> None:
        event = parse(AssessmentChanged, record)
        await on_assessment_changed(deps, assessment_of(event.assessment_id, record), event)

    return handle


def results_handler(deps: Deps) -> RecordHandler:
    async def handle(record: InboundRecord) -> None:
        event = parse(ResultsUpdated, record)
        await on_results_updated(deps, assessment_of(event.assessment_id, record), event)

    return handle
