"""How spans leave a process: redacted, through a bounded queue, drops counted.

Spans are handed to a background thread through a queue of OTEL_BSP_MAX_QUEUE_SIZE spans
(2048 by default); when the collector is down or slow the queue fills and further spans
are dropped (counted in `mgi_spans_dropped_total`) instead of waiting, so handling never
slows down for tracing.
"""

import logging
from collections.abc import Sequence
from typing import Any

from opentelemetry.sdk.trace import Event, ReadableSpan
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.trace import Status

from mgi_shared.metrics import SPANS_DROPPED
from mgi_shared.redaction import redact_mapping, scrub_text

# The SDK warns once per dropped span; the counter says the same without flooding the log.
logging.getLogger("opentelemetry.sdk._shared_internal").setLevel(logging.ERROR)


def redacted(span: ReadableSpan) -> ReadableSpan:
    """A copy of the span with sensitive attributes, event attributes and status text
    replaced (mgi_shared.redaction); the span itself when none of them changes (most spans:
    ids, topics, counts), since a copy per span was about a twentieth of each service's CPU."""
    attributes = dict(span.attributes or {})
    clean = redact_mapping(attributes)
    if clean == attributes and not span.events and not span.status.description:
        return span
    status = span.status
    if status.description:
        status = Status(status.status_code, scrub_text(status.description))
    return ReadableSpan(
        name=span.name,
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=clean,
        events=[
            Event(e.name, redact_mapping(dict(e.attributes or {})), e.timestamp)
            for e in span.events
        ],
        links=span.links,
        kind=span.kind,
        status=status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


class RedactingExporter(SpanExporter):
    """Redacts every span before the real exporter sees it; counts what it failed to send."""

    def __init__(self, inner: SpanExporter, service: str) -> None:
        self._inner = inner
        self._service = service

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        result = self._inner.export([redacted(span) for span in spans])
        if result is not SpanExportResult.SUCCESS:
            SPANS_DROPPED.labels(self._service, "export_failed").inc(len(spans))
        return result

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._inner.force_flush(timeout_millis)


class CountingBatchSpanProcessor(BatchSpanProcessor):
    """The SDK's batch processor, counting the spans its full queue turns away."""

    def __init__(self, exporter: SpanExporter, service: str, **options: Any) -> None:
        super().__init__(exporter, **options)
        self._service = service

    def on_end(self, span: ReadableSpan) -> None:
        sampled = span.context is not None and span.context.trace_flags.sampled
        if sampled and self._queue_full():
            SPANS_DROPPED.labels(self._service, "queue_full").inc()
        super().on_end(span)

    def _queue_full(self) -> bool:
        # The SDK keeps its queue private; if that changes, drops go uncounted, never wrong.
        batch = getattr(self, "_batch_processor", None)
        queue = getattr(batch, "_queue", None)
        limit = getattr(batch, "_max_queue_size", None)
        return queue is not None and limit is not None and len(queue) >= limit
