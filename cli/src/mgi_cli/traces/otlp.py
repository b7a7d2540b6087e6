"""OTLP/HTTP trace requests (protobuf or JSON) turned into flat span records, one per span.

Pure: bytes in, dictionaries out. The store writes them as JSON lines and `mgi trace`
reads them back, so the record's shape is the one place both agree on.
"""

from typing import Any

from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

SpanRecord = dict[str, Any]


def parse_request(body: bytes, content_type: str) -> ExportTraceServiceRequest:
    """The request as sent: protobuf by default, JSON when the exporter says so."""
    request = ExportTraceServiceRequest()
    if content_type.split(";")[0].strip().lower() == "application/json":
        json_format.Parse(body, request)
    else:
        request.ParseFromString(body)
    return request


def span_records(request: ExportTraceServiceRequest) -> list[SpanRecord]:
    """Every span of the request with its service's name and plain-value attributes."""
    records: list[SpanRecord] = []
    for resource_spans in request.resource_spans:
        resource = attributes_of(resource_spans.resource.attributes)
        service = str(resource.get("service.name", "unknown"))
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                records.append(
                    {
                        "trace_id": span.trace_id.hex(),
                        "span_id": span.span_id.hex(),
                        "parent_span_id": span.parent_span_id.hex() or None,
                        "name": span.name,
                        "service": service,
                        "kind": span.kind,
                        "start_ns": span.start_time_unix_nano,
                        "end_ns": span.end_time_unix_nano,
                        "status": span.status.code,
                        "scope": scope_spans.scope.name,
                        "attributes": attributes_of(span.attributes),
                    }
                )
    return records


def attributes_of(pairs: Any) -> dict[str, Any]:
    return {pair.key: plain_value(pair.value) for pair in pairs if isinstance(pair, KeyValue)}


def plain_value(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return [plain_value(item) for item in value.array_value.values]
    if kind == "kvlist_value":
        return attributes_of(value.kvlist_value.values)
    if kind == "bytes_value":
        return value.bytes_value.hex()
    return getattr(value, kind)
