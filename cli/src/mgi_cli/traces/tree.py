"""A trace as an indented tree: service, span name and duration, children in start order."""

from collections.abc import Iterable

from mgi_cli.traces.otlp import SpanRecord

SUBMISSION_ATTRIBUTE = "mgi.submission_id"


def is_trace_id(text: str) -> bool:
    return len(text) == 32 and all(c in "0123456789abcdef" for c in text.lower())


def trace_ids_for(query: str, spans: Iterable[SpanRecord]) -> list[str]:
    """The trace id itself, or the traces whose spans name the submission, oldest first."""
    if is_trace_id(query):
        return [query.lower()]
    found: dict[str, int] = {}
    for span in spans:
        if span.get("attributes", {}).get(SUBMISSION_ATTRIBUTE) == query:
            started = int(span.get("start_ns", 0))
            found[span["trace_id"]] = min(found.get(span["trace_id"], started), started)
    return sorted(found, key=found.__getitem__)


def render_tree(spans: list[SpanRecord]) -> list[str]:
    """One line per span; a span whose parent was not received is shown as a root."""
    ids = {span["span_id"] for span in spans}
    children: dict[str | None, list[SpanRecord]] = {}
    for span in spans:
        parent = span.get("parent_span_id")
        children.setdefault(parent if parent in ids else None, []).append(span)
    for group in children.values():
        group.sort(key=lambda s: int(s.get("start_ns", 0)))
    lines: list[str] = []

    def walk(span: SpanRecord, depth: int) -> None:
        lines.append(f"{'  ' * depth}{span['service']}  {span['name']}  {duration_ms(span)}")
        for child in children.get(span["span_id"], []):
            walk(child, depth + 1)

    for root in children.get(None, []):
        walk(root, 0)
    return lines


def duration_ms(span: SpanRecord) -> str:
    return f"{(int(span.get('end_ns', 0)) - int(span.get('start_ns', 0))) / 1e6:.1f} ms"
