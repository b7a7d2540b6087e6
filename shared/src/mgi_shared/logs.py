"""JSON logs through structlog, each line carrying the current trace and span ids and the
assessment being worked on, redacted (mgi_shared.redaction) just before it is written."""

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog
from opentelemetry import trace

from mgi_shared.assessment_context import current_assessment
from mgi_shared.redaction import redact_mapping

EventDict = dict[str, Any]


def add_trace_ids(_: Any, __: str, event: EventDict) -> EventDict:
    span_context = trace.get_current_span().get_span_context()
    if span_context.is_valid:
        event["trace_id"] = format(span_context.trace_id, "032x")
        event["span_id"] = format(span_context.span_id, "016x")
    return event


def add_assessment_id(_: Any, __: str, event: EventDict) -> EventDict:
    assessment_id = current_assessment()
    if assessment_id is not None:
        event.setdefault("assessment_id", assessment_id)
    return event


def redact(_: Any, __: str, event: MutableMapping[str, Any]) -> EventDict:
    """Last before rendering, after exceptions became text: nothing sensitive is written."""
    return redact_mapping(dict(event))


def setup_logging(service_name: str, level: str = "INFO") -> None:
    """Route structlog and the standard library (uvicorn, aiokafka, faststream) to JSON."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        add_trace_ids,
        add_assessment_id,
        lambda _, __, event: {**event, "service": service_name},
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder()],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redact,
            structlog.processors.JSONRenderer(),
        ],
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("aiokafka", "pymongo", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
