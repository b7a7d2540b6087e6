"""Real HTTP servers a test starts beside publishing: a stand-in for scoring's results route
and a portal API that answers as each test scripts it."""

import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

# Fixed ports kept apart for these tests (free_port() could collide with other sessions'
# fixed ports on this machine).
PUBLISHING_PORT, SCORING_PORT, PORTAL_PORT = 28581, 28582, 28583

ADMIN = "publishing-test-admin-key"


def scoring_app(results: dict[str, dict[str, Any]]) -> FastAPI:
    """`GET /v1/assessments/{id}/results` from `results` (which the test changes as it goes),
    for the admin key only, as scoring answers."""
    app = FastAPI()

    @app.get("/v1/assessments/{assessment_id}/results")
    async def read(assessment_id: str, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {ADMIN}":
            return JSONResponse({"detail": "unknown API key"}, status_code=401)
        if assessment_id not in results:
            return JSONResponse({"detail": "no results"}, status_code=404)
        return JSONResponse(results[assessment_id])

    return app


@dataclass
class Received:
    assessment_id: str
    headers: dict[str, str]
    body: dict[str, Any]
    at: float


@dataclass
class PortalScript:
    """Per assessment, the answers to give in turn (status, headers); then 200."""

    answers: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)

    def of(self, assessment_id: str) -> list[Received]:
        return [r for r in self.received if r.assessment_id == assessment_id]


def portal_app(script: PortalScript) -> FastAPI:
    app = FastAPI()

    @app.put("/profiles/{assessment_id}")
    async def put(assessment_id: str, request: Request) -> Response:
        body = await request.json()
        script.received.append(
            Received(assessment_id, dict(request.headers), body, time.monotonic())
        )
        queue = script.answers.get(assessment_id) or []
        status, headers = queue.pop(0) if queue else (200, {})
        return JSONResponse({"status": status}, status_code=status, headers=headers)

    return app
