"""`mgi stack up` without an OTLP endpoint runs the local trace receiver as a component of its
own: started, listed by status, fed by the SDK's exporter, read by `mgi trace`, stopped by down.
Port 28786 is this test's own."""

import asyncio
import dataclasses
from pathlib import Path

import pytest
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from typer.testing import CliRunner

from mgi_cli import stack
from mgi_cli.main import app
from mgi_shared.settings import PlatformSettings

pytestmark = pytest.mark.integration

PORT = 28786


def test_stack_runs_lists_and_stops_its_trace_receiver(
    infra,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = PlatformSettings(kafka_bootstrap_servers=infra.kafka,
                                mongodb_url=infra.mongodb_url, mgi_data_dir=tmp_path)  # fmt: skip
    config = stack.StackConfig(
        settings=settings, data_dir=tmp_path, cache_dir=tmp_path, manage_kafka=False,
        manage_database=False, kafka_host="127.0.0.1", kafka_port=0, controller_port=0,
        mongo_host="127.0.0.1", mongo_port=0, manage_traces=True, traces_port=PORT,
    )  # fmt: skip
    messages: list[str] = []
    asyncio.run(stack.up(config, messages.append, services=()))
    try:
        assert stack.status(config)[0][:2] == ("traces", "up")
        assert config.service_env("t")["OTEL_EXPORTER_OTLP_ENDPOINT"] == f"http://127.0.0.1:{PORT}"
        provider = TracerProvider(resource=Resource.create({"service.name": "mgi-intake"}))
        exporter = OTLPSpanExporter(endpoint=f"http://127.0.0.1:{PORT}/v1/traces")
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        with provider.get_tracer("t").start_as_current_span("POST /v1/submissions") as span:
            span.set_attribute("mgi.submission_id", "local-1")
        provider.shutdown()
        monkeypatch.setenv("MGI_DATA_DIR", str(tmp_path))
        shown = CliRunner().invoke(app, ["trace", "local-1"])
        assert shown.exit_code == 0, shown.output
        assert "mgi-intake  POST /v1/submissions" in shown.output
    finally:
        stack.down(config, messages.append, wipe=True)
    assert stack.status(config)[0][:2] == ("traces", "down")
    assert not (tmp_path / "traces").exists()
    assert (
        dataclasses.replace(config, manage_traces=False)
        .service_env("t")
        .get("OTEL_EXPORTER_OTLP_ENDPOINT")
        is None
    )
