"""One JSON log line and two metrics per HTTP request: method, route template, status, time.

The route is the template (`/v1/assessments/{assessment_id}`), never the path, so metric
labels stay few and hold no ids; the log line adds the assessment id when the route names
one. Runs inside the FastAPI instrumentation's server span, so the line carries its ids.
"""

import logging
import time
from typing import Any

from opentelemetry import trace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mgi_shared.assessment_context import ASSESSMENT_ID
from mgi_shared.metrics import HTTP_REQUEST_SECONDS, HTTP_REQUESTS

# Probed every few seconds by the stack, Kubernetes and Prometheus: counted, not logged.
QUIET_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})

logger = logging.getLogger("mgi.http")


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


class RequestLog:
    def __init__(self, app: ASGIApp, service: str) -> None:
        self._app = app
        self._service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def remember_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
            await send(message)

        try:
            await self._app(scope, receive, remember_status)
        finally:
            self._record(scope, status["code"], time.perf_counter() - started)

    def _record(self, scope: Scope, status: int, elapsed: float) -> None:
        route = route_template(scope)
        method = str(scope.get("method", ""))
        HTTP_REQUESTS.labels(self._service, method, route, str(status)).inc()
        HTTP_REQUEST_SECONDS.labels(self._service, method, route).observe(elapsed)
        if route in QUIET_ROUTES:
            return
        fields: dict[str, Any] = {"method": method, "route": route, "status": status,
                                  "duration_ms": round(elapsed * 1000, 1)}  # fmt: skip
        params: dict[str, Any] = scope.get("path_params") or {}
        if assessment_id := params.get("assessment_id"):
            span = trace.get_current_span()
            if span.is_recording():
                span.set_attribute(ASSESSMENT_ID, str(assessment_id))
            fields["assessment_id"] = str(assessment_id)
        # Without one in the route, the log adds the assessment a handler named, if any.
        logger.info("http request", extra=fields)
