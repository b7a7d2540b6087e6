"""Reading spans that OTEL_TRACES_EXPORTER=console printed among JSON log lines."""

import contextlib
import json
from typing import Any


def json_objects(text: str) -> list[str]:
    """The console exporter prints indented JSON objects back to back with other output."""
    objects, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "{":
            start = index if depth == 0 else start
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                objects.append(text[start : index + 1])
    return objects


def console_spans(text: str) -> list[dict[str, Any]]:
    spans = []
    for chunk in json_objects(text):
        if '"span_id"' in chunk:
            with contextlib.suppress(json.JSONDecodeError):
                spans.append(json.loads(chunk))
    return [span for span in spans if "context" in span and "name" in span]
