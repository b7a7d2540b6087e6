"""Scoring state to and from its stored document (one document per assessment)."""

from mgi_scoring.adapters.answer_documents import (
    book_fields,
    book_from,
    key_doc,
    key_from,
    parse_time,
    time_text,
)
from mgi_scoring.domain.consolidation import Resolution
from mgi_scoring.domain.results import Results
from mgi_scoring.domain.state import EVENT_WINDOW, AssessmentInfo, ScoringState
from mgi_shared.catalogue.model import CatalogueStructure
from mgi_shared.contracts.payloads import AssessmentStatus
from mgi_shared.contracts.submission import AnswerValue
from mgi_shared.mongo import Document

# Fields of the layout before the answer book, removed by the next save.
OLD_FIELDS = {"submissions": ""}


def state_fields(state: ScoringState) -> Document:
    """The fields a save sets; the outbox fields are left to the outbox helpers."""
    info = state.info
    return {
        **book_fields(state.answers),
        "info": None if info is None else info_doc(info),
        "resolutions": [resolution_doc(r) for r in state.resolutions.values()],
        "results": state.results.model_dump(mode="json") if state.results else None,
        "revision": state.revision,
        "completed": state.completed,
        "event_ids": list(state.event_ids),
    }


def state_from(document: Document) -> ScoringState:
    results = document.get("results")
    resolutions = [resolution_from(r) for r in document.get("resolutions") or []]
    return ScoringState(
        assessment_id=document["_id"],
        version=int(document.get("version", 0)),
        answers=book_from(document),
        info=info_from(document["info"]) if document.get("info") else None,
        resolutions={r.indicator: r for r in resolutions},
        results=Results.model_validate(results) if results else None,
        completed=bool(document.get("completed", False)),
        # Before the window every id was kept, sorted: any EVENT_WINDOW of them will do, since
        # repeats are idempotent by content anyway (see EVENT_WINDOW).
        event_ids=tuple(document.get("event_ids") or [])[-EVENT_WINDOW:],
    )


def info_doc(info: AssessmentInfo) -> Document:
    return {
        "jurisdiction": info.jurisdiction,
        "round": info.round,
        "scope": info.scope,
        "status": info.status.value,
        "catalogue": info.catalogue.model_dump(mode="json"),
    }


def info_from(d: Document) -> AssessmentInfo:
    return AssessmentInfo(
        jurisdiction=d["jurisdiction"],
        round=int(d["round"]),
        scope=d["scope"],
        status=AssessmentStatus(d["status"]),
        catalogue=CatalogueStructure.model_validate(d["catalogue"]),
    )


def resolution_doc(r: Resolution) -> Document:
    basis = None if r.basis is None else key_doc(r.basis)
    return {
        "indicator": r.indicator,
        "value": r.value.value,
        "note": r.note,
        "basis": basis,
        "resolved_by": r.resolved_by,
        "resolved_at": time_text(r.resolved_at),
    }


def resolution_from(d: Document) -> Resolution:
    basis = d.get("basis")
    return Resolution(
        indicator=d["indicator"],
        value=AnswerValue(d["value"]),
        note=d.get("note") or "",
        basis=None if basis is None else key_from(basis),
        resolved_by=d["resolved_by"],
        resolved_at=parse_time(d["resolved_at"]),
    )
