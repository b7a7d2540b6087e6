"""Tracing from the standard OTEL_* variables, plus the instrumentations every service uses."""

import os

from opentelemetry import trace
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.pymongo import PymongoInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SpanExporter

from mgi_shared.assessment_context import AssessmentSpanProcessor
from mgi_shared.span_export import CountingBatchSpanProcessor, RedactingExporter


def tracing_disabled() -> bool:
    return os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true"


def _exporters() -> list[SpanExporter]:
    """Honour OTEL_TRACES_EXPORTER (otlp, console, none; comma-separated).

    OTLP is only wired when an endpoint is configured: without a collector the
    exporter would log a connection error for every batch.
    """
    names = os.environ.get("OTEL_TRACES_EXPORTER", "otlp").lower().split(",")
    exporters: list[SpanExporter] = []
    for name in (n.strip() for n in names):
        if name == "console":
            exporters.append(ConsoleSpanExporter(formatter=_span_as_json))
        elif name == "otlp" and _otlp_endpoint_configured():
            exporters.append(_otlp_exporter())
    return exporters


def _span_as_json(span: ReadableSpan) -> str:
    """FastStream records Kafka keys as bytes, which the console exporter's JSON cannot hold:
    one such span would make it drop its whole batch."""
    attributes = span.attributes or {}
    if any(isinstance(value, bytes) for value in attributes.values()):
        span = ReadableSpan(
            name=span.name,
            context=span.context,
            parent=span.parent,
            resource=span.resource,
            attributes={
                key: value.decode("utf-8", "replace") if isinstance(value, bytes) else value
                for key, value in attributes.items()
            },
            events=span.events,
            links=span.links,
            kind=span.kind,
            status=span.status,
            start_time=span.start_time,
            end_time=span.end_time,
            instrumentation_scope=span.instrumentation_scope,
        )
    return str(span.to_json()) + os.linesep


def _otlp_endpoint_configured() -> bool:
    return bool(
        os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    )


def _otlp_exporter() -> SpanExporter:
    protocol = os.environ.get(
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
        os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
    )
    if protocol.startswith("grpc"):
        raise RuntimeError(
            "OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported; use http/protobuf (port 4318)"
        )
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()  # reads OTEL_EXPORTER_OTLP_* itself


def setup_tracing(
    service_name: str, extra_processors: list[SpanProcessor] | None = None
) -> TracerProvider | None:
    """Install the global tracer provider; None when OTEL_SDK_DISABLED=true.

    OTEL_SERVICE_NAME, when set, wins over the service's own name.
    """
    if tracing_disabled():
        return None
    attributes = {} if os.environ.get("OTEL_SERVICE_NAME") else {SERVICE_NAME: service_name}
    provider = TracerProvider(resource=Resource.create(attributes))
    provider.add_span_processor(AssessmentSpanProcessor())
    for exporter in _exporters():
        # Redacted, bounded, drops counted (mgi_shared.span_export): export never slows work.
        provider.add_span_processor(
            CountingBatchSpanProcessor(RedactingExporter(exporter, service_name), service_name)
        )
    for processor in extra_processors or []:
        provider.add_span_processor(processor)
    trace.set_tracer_provider(provider)
    PymongoInstrumentor().instrument(tracer_provider=provider)
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    return provider
