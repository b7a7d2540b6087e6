"""Scoring state to and from its stored document (one document per assessment).

Times are stored as fixed-width UTC text: BSON dates keep only milliseconds,
which would merge two submissions a few microseconds apart into a tie.
Maps keyed by indicator or submission ids are stored as lists of small
documents: ids may contain dots, which field names do not allow, and FerretDB
rejects arrays nested directly in arrays.
"""

from datetime import UTC, datetime

from mgi_scoring.domain.answers import StoredSubmission
from mgi_scoring.domain.consolidation import Resolution
from mgi_scoring.domain.results import Results
from mgi_scoring.domain.state import AssessmentInfo, ScoringState
from mgi_shared.catalogue.model import CatalogueStructure
from mgi_shared.contracts.payloads import AssessmentStatus
from mgi_shared.contracts.submission import AnswerValue
from mgi_shared.mongo import Document

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def time_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)


def state_fields(state: ScoringState) -> Document:
    """The fields a save sets; the outbox fields are left to the outbox helpers."""
    info = state.info
    return {
        "submissions": [submission_doc(s) for s in state.submissions],
        "info": None if info is None else info_doc(info),
        "resolutions": [resolution_doc(r) for r in state.resolutions.values()],
        "results": state.results.model_dump(mode="json") if state.results else None,
        "revision": state.revision,
        "completed": state.completed,
        "event_ids": sorted(state.event_ids),
    }


def state_from(document: Document) -> ScoringState:
    results = document.get("results")
    resolutions = [resolution_from(r) for r in document.get("resolutions") or []]
    return ScoringState(
        assessment_id=document["_id"],
        version=int(document.get("version", 0)),
        submissions=tuple(submission_from(s) for s in document.get("submissions") or []),
        info=info_from(document["info"]) if document.get("info") else None,
        resolutions={r.indicator: r for r in resolutions},
        results=Results.model_validate(results) if results else None,
        completed=bool(document.get("completed", False)),
        event_ids=frozenset(document.get("event_ids") or []),
    )


def submission_doc(s: StoredSubmission) -> Document:
    return {
        "submission_id": s.submission_id,
        "actor_id": s.actor_id,
        "submitted_at": time_text(s.submitted_at),
        "supersedes": s.supersedes,
        "answers": [{"indicator": code, "value": value.value} for code, value in s.answers.items()],
    }


def submission_from(d: Document) -> StoredSubmission:
    return StoredSubmission(
        submission_id=d["submission_id"],
        actor_id=d["actor_id"],
        submitted_at=parse_time(d["submitted_at"]),
        supersedes=d.get("supersedes"),
        answers={a["indicator"]: AnswerValue(a["value"]) for a in d["answers"]},
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
    basis = None if r.basis is None else {"at": time_text(r.basis[0]), "id": r.basis[1]}
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
        basis=None if basis is None else (parse_time(basis["at"]), basis["id"]),
        resolved_by=d["resolved_by"],
        resolved_at=parse_time(d["resolved_at"]),
    )
