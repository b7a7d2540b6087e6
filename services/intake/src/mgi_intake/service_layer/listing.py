"""Listing the assessments a key may see, a page at a time."""

from mgi_intake.domain.listing import (
    ListFilters,
    Position,
    decode_cursor,
    encode_cursor,
    list_query,
)
from mgi_intake.schemas import AssessmentPage, AssessmentSummary, Counts
from mgi_intake.service_layer.deps import Deps
from mgi_intake.service_layer.errors import InvalidError
from mgi_shared.auth import Principal
from mgi_shared.mongo import Document
from mgi_shared.problems import Problem


async def list_assessments(
    principal: Principal, filters: ListFilters, limit: int, cursor: str | None, deps: Deps
) -> AssessmentPage:
    after = decode_cursor(cursor) if cursor else None
    if cursor and after is None:
        raise InvalidError([Problem("next", "not a cursor from a previous page")])
    scopes = None if principal.is_admin else principal.jurisdictions
    # One more than asked says whether another page follows, without counting.
    found = await deps.assessments.list_page(list_query(scopes, filters, after), limit + 1)
    items = [summary(document) for document in found[:limit]]
    last = found[limit - 1] if len(found) > limit else None
    next_cursor = encode_cursor(Position(last["updated_at"], last["_id"])) if last else None
    return AssessmentPage(items=items, next=next_cursor)


def summary(document: Document) -> AssessmentSummary:
    kept = document.get("counts") or {}
    counts = Counts(
        submissions=kept.get("submissions", 0),
        actors=kept.get("actors", 0),
        actors_reporting=len(kept.get("reporting", [])),
    )
    return AssessmentSummary.model_validate(
        {**document, "assessment_id": document["_id"], "counts": counts}
    )
