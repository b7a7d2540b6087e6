"""`GET /v1/publications?assessment_id=...`: every recorded attempt to publish a profile.

Readable by the admin and by reviewers of the assessment's jurisdiction (contract section 6).
"""

from fastapi import APIRouter, HTTPException, Query

from mgi_publishing.domain.attempts import Attempt
from mgi_publishing.entrypoints.dependencies import Services
from mgi_shared.auth import Role, require_jurisdiction, require_role
from mgi_shared.http_auth import Caller

router = APIRouter(prefix="/v1", tags=["publications"])


@router.get("/publications", summary="Attempts to publish an assessment's profile, oldest first",
            responses={401: {"description": "missing or unknown API key"},
                       403: {"description": "not an admin, nor a reviewer of the jurisdiction"},
                       404: {"description": "publishing knows no such assessment"}})  # fmt: skip
async def list_publications(
    principal: Caller, deps: Services, assessment_id: str = Query(min_length=1, max_length=128)
) -> list[Attempt]:
    require_role(principal, Role.REVIEWER)
    found = await deps.repo.attempts(assessment_id)
    if found is None or found[0].info is None:
        raise HTTPException(404, f"no assessment {assessment_id} known to publishing")
    state, attempts = found
    require_jurisdiction(principal, state.info.jurisdiction.code)  # type: ignore[union-attr]
    return attempts
