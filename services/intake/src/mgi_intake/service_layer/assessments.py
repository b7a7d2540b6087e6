"""Creating assessments, mapping actors, moving through the workflow, reading with counts."""

from datetime import UTC, datetime

from mgi_intake.adapters.mongo_updates import without_outbox
from mgi_intake.domain import workflow
from mgi_intake.domain.jurisdictions import check_jurisdiction
from mgi_intake.domain.parsing import fingerprint
from mgi_intake.schemas import ActorPublic, ActorPut, AssessmentCreate, AssessmentPublic, Counts
from mgi_intake.service_layer.deps import Deps
from mgi_intake.service_layer.errors import (
    ConflictError,
    ContentionError,
    InvalidError,
    NotFoundError,
)
from mgi_intake.service_layer.events import assessment_changed
from mgi_shared.auth import Principal
from mgi_shared.contracts.payloads import AssessmentStatus
from mgi_shared.mongo import Document
from mgi_shared.problems import Problem

# A lost compare-and-set means another status change won; re-read and decide again.
STATUS_ATTEMPTS = 5


async def create_assessment(body: AssessmentCreate, deps: Deps) -> tuple[bool, Document]:
    """(created, stored document): the same body again is no change, another body 409."""
    catalogue = await deps.catalogues.get(body.catalogue_version)
    problems = check_jurisdiction(body.jurisdiction.code, body.jurisdiction.parent, body.scope)
    if catalogue is None:
        problems.append(
            Problem("catalogue_version", f"unknown catalogue '{body.catalogue_version}'")
        )
    elif catalogue.scope != body.scope:
        problems.append(Problem("scope", f"catalogue '{catalogue.version}' is {catalogue.scope}"))
    if problems or catalogue is None:
        raise InvalidError(problems)
    fields = body.model_dump(mode="json")
    now = datetime.now(UTC)
    document = {
        "_id": body.assessment_id,
        **fields,
        "fingerprint": fingerprint(fields),
        "status": workflow.INITIAL.value,
        "status_history": [{"status": workflow.INITIAL.value, "at": now}],
        "created_at": now,
    }
    event = assessment_changed(document, catalogue, workflow.INITIAL, None)
    if await deps.assessments.insert(document, [event]):
        return True, document
    existing = await deps.assessments.get(body.assessment_id)
    if existing is None or existing["fingerprint"] != document["fingerprint"]:
        raise ConflictError(f"assessment '{body.assessment_id}' exists with a different body")
    return False, existing


async def require_assessment(assessment_id: str, deps: Deps) -> Document:
    document = await deps.assessments.get(assessment_id)
    if document is None:
        raise NotFoundError(f"unknown assessment '{assessment_id}'")
    return document


async def change_status(
    assessment_id: str, requested: AssessmentStatus, deps: Deps, *, by_system: bool = False
) -> Document:
    """One step forward; a repeat of the current status changes nothing and emits nothing."""
    for _ in range(STATUS_ATTEMPTS):
        document = await require_assessment(assessment_id, deps)
        current = AssessmentStatus(document["status"])
        try:
            if not workflow.check_transition(current, requested, by_system=by_system):
                return document
        except workflow.TransitionError as refused:
            allowed = refused.allowed_next.value if refused.allowed_next else None
            raise ConflictError(refused.reason, allowed) from refused
        catalogue = await deps.catalogues.get(document["catalogue_version"])
        assert catalogue is not None, "an assessment's catalogue is never removed"
        event = assessment_changed(document, catalogue, requested, current)
        entry = {"status": requested.value, "at": datetime.now(UTC)}
        if await deps.assessments.move_status(assessment_id, current.value, entry, [event]):
            return await require_assessment(assessment_id, deps)
    raise ContentionError(f"assessment '{assessment_id}' is changing; try again")


async def put_actor(assessment_id: str, actor_id: str, body: ActorPut, deps: Deps) -> None:
    document = await require_assessment(assessment_id, deps)
    catalogue = await deps.catalogues.get(document["catalogue_version"])
    codes = set(catalogue.codes()) if catalogue else set()
    problems = [
        Problem(f"indicators[{i}]", f"unknown indicator code '{code}'")
        for i, code in enumerate(body.indicators)
        if code not in codes
    ]
    if problems:
        raise InvalidError(problems)
    await deps.assessments.put_actor(assessment_id, actor_id, body.model_dump(mode="json"))


async def list_actors(assessment_id: str, deps: Deps) -> list[ActorPublic]:
    """The actor map of an assessment the caller has already read (and may see)."""
    actors = await deps.assessments.actors(assessment_id)
    return [ActorPublic.model_validate(actor) for actor in actors]


async def view_assessment(assessment_id: str, deps: Deps) -> AssessmentPublic:
    document = without_outbox(await require_assessment(assessment_id, deps))
    kept = document.get("counts") or {}
    counts = Counts(
        submissions=kept.get("submissions", 0),
        actors=kept.get("actors", 0),
        actors_reporting=len(kept.get("reporting", [])),
    )
    return AssessmentPublic.model_validate({**document, "counts": counts})


def covers(principal: Principal, assessment: Document) -> bool:
    return principal.covers(assessment["jurisdiction"]["code"])
