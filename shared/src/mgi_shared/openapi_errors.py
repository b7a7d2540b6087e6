"""The OpenAPI document shows the platform's 422 shape, not FastAPI's default.

FastAPI documents every 422 as its own `HTTPValidationError` ({"detail": [{loc,
msg, type}]}), while every service answers `{"detail": [{"field", "message"}]}`
(see http_errors): a client generated from the document, or a fuzzer checking
answers against it, would expect the wrong body.
"""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

FASTAPI_SHAPE = "#/components/schemas/HTTPValidationError"
PLATFORM_SHAPE = "#/components/schemas/Problems"


class ErrorItem(BaseModel):
    field: str = Field(description="where the problem is, e.g. answers[2].indicator")
    message: str = Field(description="what is wrong, naming the offending value")


class Problems(BaseModel):
    detail: list[ErrorItem]


def document_platform_errors(app: FastAPI) -> None:
    """Rewrite the app's document, once, when it is first produced."""
    produce: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        document = produce()
        schemas = document.get("components", {}).get("schemas", {})
        if "HTTPValidationError" in schemas:
            _point_at_problems(document)
            for name in ("HTTPValidationError", "ValidationError"):
                schemas.pop(name, None)
            if "Problems" not in schemas:
                shape = Problems.model_json_schema(ref_template="#/components/schemas/{model}")
                schemas.update(shape.pop("$defs", {}))
                schemas["Problems"] = shape
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _point_at_problems(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("$ref") == FASTAPI_SHAPE:
            node["$ref"] = PLATFORM_SHAPE
        for value in node.values():
            _point_at_problems(value)
    elif isinstance(node, list):
        for value in node:
            _point_at_problems(value)
