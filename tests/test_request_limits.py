"""Every string, list and map a service reads has a maximum size, shown in its OpenAPI
document (issue 14, item 4): no request field is unbounded but for the 1 MiB body limit."""

from typing import Any

import pytest

from mgi_cli.documents import openapi_document
from mgi_shared.contracts.topics import SERVICES

pytestmark = pytest.mark.unit

# Strings whose format or choices already bound them.
BOUNDED_FORMATS = {"date-time", "date", "uuid"}


def unbounded(node: Any, where: str, document: dict[str, Any], seen: frozenset[str]) -> list[str]:
    """Each place under `node` (a JSON Schema) where a string, array or map has no maximum."""
    if isinstance(node, list):
        return [p for i, item in enumerate(node) for p in unbounded(item, where, document, seen)]
    if not isinstance(node, dict):
        return []
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        target = document["components"]["schemas"][name]
        return unbounded(target, f"{where}->{name}", document, seen | {name})
    found = []
    kind = node.get("type")
    bounds = {"maxLength", "enum", "const"} & set(node)
    if kind == "string" and not bounds and node.get("format") not in BOUNDED_FORMATS:
        found.append(f"{where}: string without maxLength")
    if kind == "array" and "maxItems" not in node:
        found.append(f"{where}: array without maxItems")
    is_map = kind == "object" and node.get("additionalProperties") not in (None, False)
    if is_map and "maxProperties" not in node:
        found.append(f"{where}: map without maxProperties")
    for name, schema in node.get("properties", {}).items():
        found += unbounded(schema, f"{where}.{name}", document, seen)
    for key in ("items", "anyOf", "oneOf", "allOf", "additionalProperties"):
        found += unbounded(node.get(key), f"{where}/{key}", document, seen)
    return found


@pytest.fixture(autouse=True)
def _no_tracing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")


@pytest.mark.parametrize("service", SERVICES)
def test_every_request_field_has_a_maximum(service: str) -> None:
    document = openapi_document(service)
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                where = f"{method} {path} {parameter['in']}:{parameter['name']}"
                found += unbounded(parameter["schema"], where, document, frozenset())
            for content in operation.get("requestBody", {}).get("content", {}).values():
                found += unbounded(
                    content["schema"], f"{method} {path} body", document, frozenset()
                )
    assert found == []


def test_the_check_sees_a_missing_bound() -> None:
    document = {"components": {"schemas": {"A": {"type": "object", "properties": {
        "name": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string",
        "maxLength": 5}}}}}}}  # fmt: skip
    assert unbounded({"$ref": "#/components/schemas/A"}, "body", document, frozenset()) == [
        "body->A.name: string without maxLength",
        "body->A.tags: array without maxItems",
    ]
