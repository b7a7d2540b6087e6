"""POST /v1/submissions: 202 when stored, 200 for the same body again, 409, 422, 413."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from mgi_intake.entrypoints.dependencies import get_deps, get_principal
from mgi_intake.entrypoints.submission_body import Submission
from mgi_intake.schemas import Message, Problems, SubmissionReceipt
from mgi_intake.service_layer.deps import Deps
from mgi_intake.service_layer.incoming import from_json_body
from mgi_intake.service_layer.submissions import accept_submission
from mgi_shared.auth import Principal

router = APIRouter(prefix="/v1", tags=["submissions"])
RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"model": SubmissionReceipt, "description": "the same body was accepted before"},
    401: {"model": Message}, 403: {"model": Message}, 409: {"model": Message},
    413: {"model": Message}, 422: {"model": Problems},
}  # fmt: skip


@router.post("/submissions", status_code=202, response_model=SubmissionReceipt,
             responses=RESPONSES, summary="Submit one actor's answers")  # fmt: skip
async def submit(
    submission: Submission,  # documents the body; the use case reads and checks the raw body
    request: Request,
    response: Response,
    caller: Annotated[Principal, Depends(get_principal)],
    deps: Annotated[Deps, Depends(get_deps)],
) -> SubmissionReceipt:
    """202 when stored; the same body again is 200 with the stored result (stored and
    emitted once); the same `submission_id` with another body is 409; every problem
    is one 422 entry naming its field; bodies over 1 MiB are 413. A submitter key
    may only write to assessments of its jurisdictions (403 otherwise)."""
    incoming = from_json_body(await request.body(), "http")
    accepted = await accept_submission(incoming, caller, deps)
    response.status_code = 202 if accepted.created else 200
    return SubmissionReceipt(submission_id=accepted.submission_id)
