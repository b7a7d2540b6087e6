"""The answer book to and from its stored form, and the times and keys in it.

Times are stored as fixed-width UTC text: BSON dates keep only milliseconds,
which would merge two submissions a few microseconds apart into a tie.
Maps keyed by indicator or actor ids are stored as lists of small documents:
ids may contain dots, which field names do not allow.
"""

from collections import defaultdict
from datetime import UTC, datetime

from mgi_scoring.adapters.packing import pack_plain, unpack_plain
from mgi_scoring.domain.answers import AnswerBook, AnswerKey, StoredSubmission, Trail
from mgi_scoring.domain.recording import replay
from mgi_shared.contracts.submission import AnswerValue
from mgi_shared.mongo import Document

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def time_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)


def key_doc(key: AnswerKey) -> Document:
    return {"at": time_text(key[0]), "id": key[1]}


def key_from(d: Document) -> AnswerKey:
    return (parse_time(d["at"]), d["id"])


def book_fields(book: AnswerBook) -> Document:
    """The book packed (see packing): nothing queries inside it. `submissions_applied` stays a
    field of its own."""
    return {"book_packed": pack_plain(book_doc(book)), "submissions_applied": book.applied}


def book_doc(book: AnswerBook) -> Document:
    """Trails of one actor that share a path are stored once, with one value per indicator:
    an actor's trails mostly lead to the same one or two submissions, so the book stays
    about as large as one submission per actor."""
    grouped: defaultdict[tuple[str, tuple[AnswerKey, ...]], list[Document]] = defaultdict(list)
    for actor, trails in sorted(book.trails.items()):
        for indicator, trail in sorted(trails.items()):
            value = None if trail.value is None else trail.value.value
            grouped[(actor, trail.path)].append({"indicator": indicator, "value": value})
    return {
        "trails": [
            {"actor": actor, "path": [key_doc(k) for k in path], "answers": answers}
            for (actor, path), answers in grouped.items()
        ],
        "waiting": [submission_doc(s) for s in book.waiting],
    }


def book_from(document: Document) -> AnswerBook:
    """From the packed book, the book as nested fields (stored before packing), or every
    submission received (stored before the book: recorded anew, the older ones drop out).
    The next save stores the packed book."""
    applied = int(document.get("submissions_applied", 0))
    if "book_packed" in document:
        return _book_of(unpack_plain(document["book_packed"]), applied)
    if "trails" in document:
        return _book_of(document, applied)
    return replay(submission_from(s) for s in document.get("submissions") or [])


def _book_of(doc: Document, applied: int) -> AnswerBook:
    trails: defaultdict[str, dict[str, Trail]] = defaultdict(dict)
    for group in doc["trails"]:
        path = tuple(key_from(k) for k in group["path"])
        for answer in group["answers"]:
            value = None if answer["value"] is None else AnswerValue(answer["value"])
            trails[group["actor"]][answer["indicator"]] = Trail(path, value)
    return AnswerBook(
        trails=dict(trails),
        waiting=tuple(submission_from(s) for s in doc.get("waiting") or []),
        applied=applied,
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
