"""Nothing sensitive leaves a process: log fields, span attributes, events and status text."""

import json
import time
from collections.abc import Sequence

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.trace import Status, StatusCode

from mgi_shared.metrics import SPANS_DROPPED
from mgi_shared.redaction import REDACTED, redact_mapping, scrub_text
from mgi_shared.span_export import CountingBatchSpanProcessor, RedactingExporter, redacted

pytestmark = pytest.mark.unit

SECRETS = ["ops@ministry.example.org", "https://hooks.example.org/T0/B1/xyz?token=abc",
           "Bearer mgi_live_0123456789abcdef", "sha256=" + "ab" * 32]  # fmt: skip


def test_sensitive_fields_are_replaced_and_text_is_scrubbed() -> None:
    fields = redact_mapping({
        "address": "ops@ministry.example.org", "smtp.password": "hunter2", "api_key": "k",
        "subscription_id": "sub-1", "server.address": "127.0.0.1",
        "event": "send to ops@ministry.example.org failed: 401 for Bearer abc.def",
        "error": "POST https://user:pw@hooks.example.org/T0/B1/xyz?token=abc refused",
        "url.full": "http://127.0.0.1:8082/v1/assessments/A/results?key=secret",
    })  # fmt: skip
    assert fields["address"] == fields["smtp.password"] == fields["api_key"] == REDACTED
    assert fields["subscription_id"] == "sub-1" and fields["server.address"] == "127.0.0.1"
    text = json.dumps(fields)
    for secret in ("ops@", "hunter2", "abc.def", "user:pw", "token=abc", "key=secret", "T0/B1"):
        assert secret not in text
    assert fields["url.full"] == "http://127.0.0.1:8082/v1/assessments/A/results"
    assert scrub_text("IDN-2023-national revision 3") == "IDN-2023-national revision 3"


def test_exported_spans_are_redacted() -> None:
    with TracerProvider().get_tracer("t").start_as_current_span("send") as span:
        span.set_attribute("mgi.recipient", "ops@ministry.example.org")
        span.set_attribute("http.request.header.authorization", SECRETS[2])
        span.add_event("exception", {"exception.message": f"refused {SECRETS[1]}"})
        span.set_status(Status(StatusCode.ERROR, f"signature {SECRETS[3]} bad"))
    out = redacted(span)  # type: ignore[arg-type]
    text = json.dumps(out.to_json())
    for secret in SECRETS:
        assert secret not in text
    assert "xyz" not in text


def test_a_span_with_nothing_to_redact_is_exported_as_it_is() -> None:
    tracer = TracerProvider().get_tracer("t")
    with tracer.start_as_current_span("process") as plain:
        plain.set_attribute("mgi.assessment_id", "IDN-2026-national")
        plain.set_attribute("messaging.batch.message_count", 3)
    with tracer.start_as_current_span("send") as sensitive:
        sensitive.set_attribute("mgi.assessment_id", "IDN-2026-national")
        sensitive.set_attribute("mgi.recipient", SECRETS[0])
    assert redacted(plain) is plain  # type: ignore[arg-type]
    out = redacted(sensitive)  # type: ignore[arg-type]
    assert out is not sensitive and out.attributes == {
        "mgi.assessment_id": "IDN-2026-national", "mgi.recipient": REDACTED}  # fmt: skip


class SlowExporter(SpanExporter):
    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        time.sleep(2)
        return SpanExportResult.FAILURE


def test_a_slow_collector_never_slows_work_and_drops_are_counted() -> None:
    def dropped(reason: str) -> float:
        return SPANS_DROPPED.labels("probe", reason)._value.get()

    before = dropped("queue_full")
    provider = TracerProvider()
    processor = CountingBatchSpanProcessor(
        RedactingExporter(SlowExporter(), "probe"), "probe", max_queue_size=8,
        max_export_batch_size=4, schedule_delay_millis=10,
    )  # fmt: skip
    provider.add_span_processor(processor)
    tracer = provider.get_tracer("t")
    started = time.perf_counter()
    for _ in range(200):
        with tracer.start_as_current_span("work"):
            pass
    assert time.perf_counter() - started < 0.5
    assert dropped("queue_full") - before >= 150
    # Skip the final flush at exit, which would wait out the slow exporter.
    processor._batch_processor._shutdown = True
