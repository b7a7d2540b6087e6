"""Tracing and logs set up from the standard OTEL_* variables, checked in fresh processes
(the tracer provider and instrumentations are process-global, set once)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from mgi_shared.testing.spans import console_spans

pytestmark = pytest.mark.integration

MONGO_SPANS = textwrap.dedent(
    """
    import asyncio, sys
    from mgi_shared.telemetry import setup_tracing
    from mgi_shared.mongo import make_mongo_client
    from mgi_shared.logs import setup_logging
    import structlog
    from opentelemetry import trace

    async def main():
        provider = setup_tracing("mgi-probe")
        setup_logging("probe")
        client = make_mongo_client(sys.argv[1])
        with trace.get_tracer("probe").start_as_current_span("probe-root"):
            await client.get_database("mgi_probe").get_collection("c").insert_one({"a": 1})
            structlog.get_logger().info("inside a span")
        await client.close()
        if provider is not None:
            provider.force_flush()

    asyncio.run(main())
    """
)


def run_probe(mongodb_url: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    return subprocess.run(
        [sys.executable, "-c", MONGO_SPANS, mongodb_url],
        capture_output=True, text=True, timeout=60, env={**clean, **env}, check=True,
    )  # fmt: skip


def test_async_pymongo_commands_become_spans_of_the_current_trace(infra) -> None:  # type: ignore[no-untyped-def]
    result = run_probe(infra.mongodb_url, OTEL_TRACES_EXPORTER="console")
    spans = console_spans(result.stdout)
    names = {span["name"] for span in spans}
    assert "probe-root" in names
    mongo = [s for s in spans if s["attributes"].get("db.system") == "mongodb"]
    assert mongo, f"no pymongo span among {names}"
    root = next(s for s in spans if s["name"] == "probe-root")
    assert mongo[0]["context"]["trace_id"] == root["context"]["trace_id"]
    assert mongo[0]["resource"]["attributes"]["service.name"] == "mgi-probe"


def test_log_lines_are_json_with_trace_ids(infra) -> None:  # type: ignore[no-untyped-def]
    result = run_probe(infra.mongodb_url, OTEL_TRACES_EXPORTER="none")
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    logged = next(line for line in lines if line.get("event") == "inside a span")
    assert len(logged["trace_id"]) == 32
    assert logged["service"] == "probe"


def test_otel_service_name_overrides_and_sdk_can_be_disabled(infra) -> None:  # type: ignore[no-untyped-def]
    renamed = run_probe(infra.mongodb_url, OTEL_TRACES_EXPORTER="console",
                        OTEL_SERVICE_NAME="renamed")  # fmt: skip
    assert '"service.name": "renamed"' in renamed.stdout
    disabled = run_probe(infra.mongodb_url, OTEL_TRACES_EXPORTER="console",
                         OTEL_SDK_DISABLED="true")  # fmt: skip
    assert '"trace_id"' not in disabled.stdout


@pytest.mark.unit
def test_console_spans_with_kafka_byte_keys_still_export() -> None:
    from opentelemetry.sdk.trace import TracerProvider

    from mgi_shared.telemetry import _span_as_json

    with TracerProvider().get_tracer("t").start_as_current_span("consume") as span:
        span.set_attribute("messaging.kafka.message.key", b"IDN-2023-national")
    exported = json.loads(_span_as_json(span))  # type: ignore[arg-type]
    assert exported["attributes"]["messaging.kafka.message.key"] == "IDN-2023-national"
