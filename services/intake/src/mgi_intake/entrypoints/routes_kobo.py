"""POST /v1/integrations/kobo/{assessment_id}: a KoboToolbox REST Service target.

Configure the REST Service in KoboToolbox with this URL, type JSON, and a custom
HTTP header `Authorization: Bearer <submitter key>` scoped to the jurisdiction.
Kobo retries failed deliveries, so a repeat is answered 200 and stored once.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Request, Response

from mgi_intake.domain.kobo import kobo_field_names
from mgi_intake.entrypoints.dependencies import get_deps, get_principal
from mgi_intake.entrypoints.routes_submissions import RESPONSES
from mgi_intake.schemas import ID, SubmissionReceipt
from mgi_intake.service_layer.deps import Deps
from mgi_intake.service_layer.errors import InvalidError
from mgi_intake.service_layer.incoming import from_kobo
from mgi_intake.service_layer.submissions import accept_into, target_assessment
from mgi_shared.auth import Principal

router = APIRouter(prefix="/v1/integrations/kobo", tags=["integrations"])
# A form of every indicator with evidence and sources (3 fields each) plus Kobo's own fields
# stays far below this; the 1 MiB body limit bounds the values.
MAX_KOBO_FIELDS = 5_000
EXAMPLE = {
    "_uuid": "5f8d2c1e-0b4e-4a52-b6c1-2f7f3b9a9e01",
    "_submission_time": "2023-05-10T09:30:00",
    "identification/actor_id": "idn-mofa",
    "rights/RGT-1.01": "yes",
    "rights/RGT-1.01_evidence": "Law No. 18/2017",
}


@router.post("/{assessment_id}", status_code=202, response_model=SubmissionReceipt,
             responses=RESPONSES, summary="Receive one KoboToolbox submission")  # fmt: skip
async def kobo_submission(
    assessment_id: Annotated[str, Path(max_length=128, pattern=ID)],
    payload: Annotated[dict[str, Any], Body(examples=[EXAMPLE], max_length=MAX_KOBO_FIELDS)],
    request: Request,
    response: Response,
    caller: Annotated[Principal, Depends(get_principal)],
    deps: Annotated[Deps, Depends(get_deps)],
) -> SubmissionReceipt:
    """Point a KoboToolbox REST Service (type JSON) at this URL with a custom header
    `Authorization: Bearer <submitter key>`. Question names are indicator codes,
    optionally in groups (`rights/RGT-1.01`); `<code>_evidence` holds evidence and
    `<code>_sources` sources (one per line); `actor_id` names the actor. `_uuid`
    (or `meta/instanceID`) is the submission id, `_submission_time` (UTC) the time,
    and `meta/deprecatedID` marks an edit that supersedes an earlier submission.
    All other fields are kept in the stored raw payload. Problems name Kobo fields.
    """
    # Read and scope-checked once, before the payload is mapped against its catalogue.
    assessment = await target_assessment(assessment_id, caller, deps)
    raw = await request.body()
    incoming, answer_fields = await from_kobo(raw, assessment_id, assessment, deps)
    try:
        accepted = await accept_into(incoming, assessment, deps)
    except InvalidError as error:
        raise InvalidError(kobo_field_names(error.problems, answer_fields)) from error
    response.status_code = 202 if accepted.created else 200
    return SubmissionReceipt(submission_id=accepted.submission_id)
