"""Receivers an end-to-end test runs for the platform to talk to: OTLP/HTTP traces (decoded
with opentelemetry-proto, independently of the project's own receiver), webhook POSTs and
mail (a real SMTP server, aiosmtpd)."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)


@dataclass
class Received:
    """What the test's receivers got: OTLP requests, webhook POSTs, mails."""

    otlp: list[ExportTraceServiceRequest] = field(default_factory=list)
    webhooks: list[bytes] = field(default_factory=list)
    mails: list[bytes] = field(default_factory=list)

    def spans(self) -> list[dict[str, Any]]:
        """Decoded here with opentelemetry-proto, independently of the project's receiver."""
        found = []
        for request in list(self.otlp):
            for resource_spans in request.resource_spans:
                resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
                for scope_spans in resource_spans.scope_spans:
                    for span in scope_spans.spans:
                        found.append({
                            "trace_id": span.trace_id.hex(), "span_id": span.span_id.hex(),
                            "parent": span.parent_span_id.hex(), "name": span.name,
                            "service": resource.get("service.name"),
                            "scope": scope_spans.scope.name,
                            "attributes": {a.key: _value(a.value) for a in span.attributes},
                            "texts": [str(_value(a.value)) for e in span.events
                                      for a in e.attributes] + [span.status.message],
                        })  # fmt: skip
        return found


def _value(value: Any) -> Any:
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind else None


def serve(handler: type[BaseHTTPRequestHandler], port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def receivers(received: Received, otlp_port: int, webhook_port: int) -> list[ThreadingHTTPServer]:
    """An OTLP/HTTP receiver (`POST /v1/traces`) and a webhook receiver, in threads."""

    class Otlp(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = ExportTraceServiceRequest()
            request.ParseFromString(self.rfile.read(int(self.headers["Content-Length"])))
            received.otlp.append(request)
            body = ExportTraceServiceResponse().SerializeToString()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Webhook(Otlp):
        def do_POST(self) -> None:
            received.webhooks.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

    return [serve(Otlp, otlp_port), serve(Webhook, webhook_port)]


class Mailbox:
    def __init__(self, received: Received) -> None:
        self._received = received

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self._received.mails.append(envelope.content)
        return "250 OK"
