"""Scoring state to and from its stored document (one document per assessment).

The large parts that the database never queries, the results, the catalogue's structure and
the answer book, are stored packed (zlib-compressed JSON, see packing): the local server
rewrites a whole document on every update (the save, then the relay's mark), so its cost
follows the document's size, and the results and catalogue made up three quarters of it (about
30 of 40 KB for a national assessment, 4 compressed); the book, as nested documents, most of
the rest of its work.
"""

from functools import lru_cache

from mgi_scoring.adapters.answer_documents import (
    book_fields,
    book_from,
    key_doc,
    key_from,
    parse_time,
    time_text,
)
from mgi_scoring.adapters.packing import pack, unpack
from mgi_scoring.domain.consolidation import Resolution
from mgi_scoring.domain.results import Results
from mgi_scoring.domain.state import EVENT_WINDOW, AssessmentInfo, ScoringState
from mgi_shared.catalogue.model import CatalogueStructure
from mgi_shared.contracts.payloads import AssessmentStatus
from mgi_shared.contracts.submission import AnswerValue
from mgi_shared.mongo import Document

# Fields of older layouts (before the answer book; before packing), removed by the next save.
OLD_FIELDS = {"submissions": "", "results": "", "trails": "", "waiting": ""}


def state_fields(state: ScoringState, previous: ScoringState | None = None) -> Document:
    """The fields a save sets; the outbox fields are left to the outbox helpers.

    Given the `previous` state as stored, only the parts that differ from it: a submission
    leaves the catalogue, resolutions and often the results as they were, and packing those
    again (and the server rewriting them) would be most of a save's cost."""
    info, results = state.info, state.results

    def differs(part: str) -> bool:
        if previous is None:
            return True
        before, after = getattr(previous, part), getattr(state, part)
        return before is not after and before != after

    fields: Document = {}
    if differs("answers"):
        fields.update(book_fields(state.answers))
    if differs("info"):
        fields["info"] = None if info is None else info_doc(info)
    if differs("resolutions"):
        fields["resolutions"] = [resolution_doc(r) for r in state.resolutions.values()]
    if differs("results"):
        fields["results_packed"] = pack(results.model_dump_json()) if results else None
        fields["revision"] = state.revision
    if differs("completed"):
        fields["completed"] = state.completed
    if differs("event_ids"):
        fields["event_ids"] = list(state.event_ids)
    return fields


def state_from(document: Document) -> ScoringState:
    resolutions = [resolution_from(r) for r in document.get("resolutions") or []]
    return ScoringState(
        assessment_id=document["_id"],
        version=int(document.get("version", 0)),
        answers=book_from(document),
        info=info_from(document["info"]) if document.get("info") else None,
        resolutions={r.indicator: r for r in resolutions},
        results=results_from(document),
        completed=bool(document.get("completed", False)),
        # Before the window every id was kept, sorted: any EVENT_WINDOW of them will do, since
        # repeats are idempotent by content anyway (see EVENT_WINDOW).
        event_ids=tuple(document.get("event_ids") or [])[-EVENT_WINDOW:],
    )


def in_current_layout(document: Document) -> bool:
    """False for a document of an older layout, whose next save must write every field (a
    save from a remembered state writes only what changed)."""
    info = document.get("info") or {}
    return (
        "book_packed" in document and not document.keys() & OLD_FIELDS and "catalogue" not in info
    )


def info_doc(info: AssessmentInfo) -> Document:
    return {
        "jurisdiction": info.jurisdiction,
        "round": info.round,
        "scope": info.scope,
        "status": info.status.value,
        "catalogue_packed": pack(info.catalogue.model_dump_json()),
    }


def info_from(d: Document) -> AssessmentInfo:
    return AssessmentInfo(
        jurisdiction=d["jurisdiction"],
        round=int(d["round"]),
        scope=d["scope"],
        status=AssessmentStatus(d["status"]),
        catalogue=(
            CatalogueStructure.model_validate(d["catalogue"])
            if "catalogue" in d  # stored before packing
            else catalogue_from(d["catalogue_packed"])
        ),
    )


def results_from(document: Document) -> Results | None:
    """The document's results, packed or (stored before packing) as plain fields."""
    if document.get("results_packed"):
        return Results.model_validate_json(unpack(document["results_packed"]))
    plain = document.get("results")
    return Results.model_validate(plain) if plain else None


@lru_cache(maxsize=64)
def catalogue_from(packed: bytes) -> CatalogueStructure:
    """Decoded once per catalogue: every assessment of a round carries the same bytes."""
    return CatalogueStructure.model_validate_json(unpack(packed))


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
