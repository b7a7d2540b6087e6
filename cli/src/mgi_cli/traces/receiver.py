"""A small OTLP/HTTP receiver: `POST /v1/traces` (protobuf or JSON) into the span store.

Run by `mgi stack up` when no OTLP endpoint is configured, so a local user sees traces
(`mgi trace`) without installing a collector. Standard library HTTP server: one thread per
request, nothing to configure. `GET /readyz` answers 200 for the stack's readiness probe.
"""

import logging
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from google.protobuf.message import DecodeError
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse

from mgi_cli.traces.otlp import parse_request, span_records
from mgi_cli.traces.store import SpanStore

DEFAULT_PORT = 4318
MAX_REQUEST_BYTES = 16 * 1024 * 1024

logger = logging.getLogger(__name__)


def make_server(host: str, port: int, store: SpanStore) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._answer(200 if self.path in ("/readyz", "/healthz") else 404, b"", "text/plain")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if self.path != "/v1/traces" or length > MAX_REQUEST_BYTES:
                self._answer(404 if self.path != "/v1/traces" else 413, b"", "text/plain")
                return
            content_type = self.headers.get("Content-Type", "application/x-protobuf")
            try:
                request = parse_request(self.rfile.read(length), content_type)
            except (DecodeError, ValueError):
                self._answer(400, b"", "text/plain")
                return
            store.append(span_records(request))
            self._answer(200, ExportTraceServiceResponse().SerializeToString(), content_type)

        def _answer(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # one line per export would drown the log

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


def main() -> None:
    """`python -m mgi_cli.traces.receiver`: port from MGI_TRACES_PORT, store under MGI_DATA_DIR."""
    port = int(os.environ.get("MGI_TRACES_PORT", DEFAULT_PORT))
    folder = Path(os.environ.get("MGI_DATA_DIR", ".mgi")) / "traces"
    server = make_server(os.environ.get("MGI_HTTP_HOST", "127.0.0.1"), port, SpanStore(folder))
    print(f"trace receiver on port {port}, storing under {folder}", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
