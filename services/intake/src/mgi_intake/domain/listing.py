"""Listing assessments: who sees what, the filters as a query, and the page cursor.

Pure: the query is a plain document and the cursor an opaque string, so both are tested
without a database. Pages are ordered by last change, newest first, ties by id; the cursor
carries the last item's (updated_at, id), so a change during paging never repeats an item
on a later page (it moves to the front instead).
"""

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from mgi_shared.mongo import Document

SORT = [("updated_at", -1), ("_id", -1)]


@dataclass(frozen=True)
class ListFilters:
    jurisdiction: str | None = None
    scope: str | None = None
    round: int | None = None
    status: str | None = None


@dataclass(frozen=True)
class Position:
    updated_at: datetime
    assessment_id: str


def covering(codes: list[str]) -> Document:
    """Assessments of these jurisdictions or the local ones under them (as Principal.covers).
    Codes are [A-Z0-9-] only (checked when keys are issued), so they are safe in a regex."""
    return {
        "$or": [
            {"jurisdiction.code": {"$in": codes}},
            {"jurisdiction.code": {"$regex": f"^({'|'.join(codes)})-"}},
        ]
    }


def list_query(scopes: list[str] | None, filters: ListFilters, after: Position | None) -> Document:
    """`scopes`: the caller's jurisdictions, None for an admin (every assessment)."""
    parts: list[Document] = []
    if scopes is not None:
        parts.append(covering(scopes) if scopes else {"_id": {"$in": []}})
    if filters.jurisdiction:
        parts.append(covering([filters.jurisdiction]))
    for field in ("scope", "round", "status"):
        if (value := getattr(filters, field)) is not None:
            parts.append({field: value})
    if after is not None:
        parts.append({"$or": [
            {"updated_at": {"$lt": after.updated_at}},
            {"updated_at": after.updated_at, "_id": {"$lt": after.assessment_id}},
        ]})  # fmt: skip
    return {"$and": parts} if parts else {}


def encode_cursor(position: Position) -> str:
    raw = json.dumps([position.updated_at.isoformat(), position.assessment_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> Position | None:
    """None for anything that is not a cursor this service wrote."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        updated_at, assessment_id = json.loads(base64.urlsafe_b64decode(padded))
        moment = datetime.fromisoformat(updated_at)
    except (ValueError, TypeError):
        return None
    if moment.tzinfo is None or not isinstance(assessment_id, str):
        return None
    return Position(moment, assessment_id)
