"""The documents generated from the code: event schemas, AsyncAPI, and each service's OpenAPI.

Apps are only created, never started: routes are on them from creation, and
the broker and database are touched only in the lifespan.
"""

import contextlib
import importlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mgi_shared.contracts.topics import SERVICES
from mgi_shared.spec import write_all

REPO_ROOT = Path(__file__).resolve().parents[3]
DOCS = REPO_ROOT / "docs"


def openapi_document(service: str) -> dict[str, Any]:
    main = importlib.import_module(f"mgi_{service}.main")
    with _tracing_off():  # a document needs no tracer provider
        document: dict[str, Any] = main.create_app().openapi()
    return document


@contextlib.contextmanager
def _tracing_off() -> Iterator[None]:
    before = os.environ.get("OTEL_SDK_DISABLED")
    os.environ["OTEL_SDK_DISABLED"] = "true"
    try:
        yield
    finally:
        if before is None:
            del os.environ["OTEL_SDK_DISABLED"]
        else:
            os.environ["OTEL_SDK_DISABLED"] = before


def write_documents(docs: Path = DOCS) -> list[Path]:
    written = write_all(docs / "contracts")
    for service in SERVICES:
        path = docs / "openapi" / f"{service}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(openapi_document(service), indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written
