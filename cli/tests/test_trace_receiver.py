"""The local trace receiver takes what the SDK's own OTLP/HTTP exporter sends, keeps it in
bounded files, and `mgi trace` prints it as a tree."""

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from typer.testing import CliRunner

from mgi_cli.main import app
from mgi_cli.stack import wants_local_receiver
from mgi_cli.traces.receiver import make_server
from mgi_cli.traces.store import SpanStore, read_spans
from mgi_cli.traces.tree import render_tree, trace_ids_for

pytestmark = pytest.mark.unit


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    server = make_server("127.0.0.1", 0, SpanStore(tmp_path / "traces"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/traces", tmp_path
    server.shutdown()


def test_spans_from_the_otlp_exporter_are_kept_and_printed_as_a_tree(
    receiver: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint, data_dir = receiver
    provider = TracerProvider(resource=Resource.create({"service.name": "mgi-intake"}))
    provider.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("POST /v1/submissions") as root:
        root.set_attribute("mgi.submission_id", "sub-1")
        with tracer.start_as_current_span("insert"):
            pass
    provider.shutdown()
    spans = list(read_spans(data_dir / "traces"))
    assert {s["name"] for s in spans} == {"POST /v1/submissions", "insert"}
    assert trace_ids_for("sub-1", spans) == [format(root.get_span_context().trace_id, "032x")]
    lines = render_tree(spans)
    assert lines[0].startswith("mgi-intake  POST /v1/submissions  ")
    assert lines[1].startswith("  mgi-intake  insert  ")

    monkeypatch.setenv("MGI_DATA_DIR", str(data_dir))
    result = CliRunner().invoke(app, ["trace", "sub-1"])
    assert result.exit_code == 0, result.output
    assert "  mgi-intake  insert" in result.output
    assert CliRunner().invoke(app, ["trace", "unknown"]).exit_code == 1


def test_store_rotates_and_keeps_a_bounded_number_of_files(tmp_path: Path) -> None:
    store = SpanStore(tmp_path, max_bytes=200, keep=2)
    for number in range(20):
        store.append([{"trace_id": "t", "span_id": str(number), "name": "x" * 50}])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "spans.1.jsonl", "spans.2.jsonl", "spans.jsonl"
    ]  # fmt: skip
    kept = [s["span_id"] for s in read_spans(tmp_path)]
    assert kept[-1] == "19" and kept == sorted(kept, key=int)


def test_the_stack_runs_its_receiver_only_when_nothing_else_receives_spans() -> None:
    assert wants_local_receiver({})
    assert not wants_local_receiver({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"})
    assert not wants_local_receiver({"OTEL_SDK_DISABLED": "true"})
    assert not wants_local_receiver({"OTEL_TRACES_EXPORTER": "console"})
