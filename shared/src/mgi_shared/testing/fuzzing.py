"""Fuzzing a running service through its own OpenAPI document (schemathesis).

Every operation gets inputs that fit the document and inputs that break it;
each answer must be no 5xx, and an error must come in the platform's shape
(`{"detail": "..."}` or `{"detail": [{"field", "message"}]}`) and match what
the document says for that status. Runs blocking HTTP calls: call it from a
worker thread while the app serves on the event loop (see `fuzz_service`).
"""

import asyncio
import contextlib
import os
from collections.abc import Callable
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import response_schema_conformance

# Examples per operation and mode: bounded so the four services take about a minute together;
# MGI_FUZZ_EXAMPLES=500 for a longer hunt.
EXAMPLES = int(os.environ.get("MGI_FUZZ_EXAMPLES", "25"))
CHECKS = [not_a_server_error, response_schema_conformance]
AfterCall = Callable[[Any, requests.Response], None]


def error_shape_problem(status: int, body: Any) -> str | None:
    """Why an error answer is not in the platform's shape (None when it is)."""
    if status < 400:
        return None
    if not isinstance(body, dict) or "detail" not in body:
        return "no 'detail'"
    detail = body["detail"]
    if isinstance(detail, str):
        return None
    if not isinstance(detail, list) or not detail:
        return "'detail' is neither a message nor a non-empty list of problems"
    for item in detail:
        if not (isinstance(item, dict) and set(item) == {"field", "message"}):
            return f"a problem is not {{field, message}}: {item!r}"
        if not all(isinstance(value, str) for value in item.values()):
            return f"a problem's field or message is not text: {item!r}"
    return None


def fuzz(
    document: dict[str, Any],
    base_url: str,
    headers: dict[str, str],
    *,
    examples: int = EXAMPLES,
    after_call: AfterCall | None = None,
) -> list[str]:
    """Every failure found, one line each (an empty list: none)."""
    schema = schemathesis.openapi.from_dict(document)
    failures: list[str] = []
    session = requests.Session()
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            failures.append(
                f"the document has an operation schemathesis cannot read: {result.err()}"
            )
            continue
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)

            # Generation only: failures are collected rather than raised and shrunk, so one
            # run reports every operation that fails, in bounded time.
            @settings(max_examples=examples, deadline=None, database=None,
                      phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))  # fmt: skip
            @given(case=strategy)
            def call(case: Any) -> None:
                response = case.call(base_url=base_url, headers=headers, session=session,
                                     timeout=30)  # fmt: skip
                if after_call is not None:
                    after_call(case, response)
                found = _judge(case, response)
                if found:
                    failures.append(f"{case.method} {case.formatted_path}: {found}")

            # Unsatisfiable: nothing to break, e.g. no parameter to make invalid (GET /healthz).
            with contextlib.suppress(Unsatisfiable):
                call()
    return failures


def _judge(case: Any, response: Any) -> str | None:
    try:
        case.validate_response(response, checks=CHECKS)
    except Exception as failure:  # schemathesis raises a group listing every failed check
        lines = [line.strip() for line in str(failure).strip().splitlines() if line.strip()]
        return f"{response.status_code}: {' / '.join(lines[:4])}"
    try:
        body = response.json()
    except ValueError:
        body = None
    shape = error_shape_problem(response.status_code, body)
    return f"{response.status_code} {shape}: {response.text[:200]}" if shape else None


async def fuzz_service(
    app: Any, base_url: str, admin_key: str, after_call: AfterCall | None = None
) -> list[str]:
    """Fuzz the app serving at `base_url` through its own document, as the admin."""
    document = app.openapi()
    headers = {"Authorization": f"Bearer {admin_key}"}
    return await asyncio.to_thread(fuzz, document, base_url, headers, after_call=after_call)
