"""/healthz, /readyz and /metrics, the same on every service."""

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from mgi_shared.metrics import READY, REGISTRY

Probe = Callable[[], Awaitable[bool]]


def health_router(service: str, probes: dict[str, Probe]) -> APIRouter:
    """Liveness says the process runs; readiness asks every dependency, with a timeout."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @router.get("/readyz")
    async def readyz(response: Response) -> dict[str, object]:
        results = {name: await _safe(probe) for name, probe in probes.items()}
        ready = all(results.values())
        READY.labels(service).set(1 if ready else 0)
        response.status_code = 200 if ready else 503
        return {"ready": ready, "checks": results}

    @router.get("/metrics")
    async def metrics() -> Response:
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    return router


async def _safe(probe: Probe) -> bool:
    try:
        return await asyncio.wait_for(probe(), timeout=3.0)
    except Exception:
        return False
