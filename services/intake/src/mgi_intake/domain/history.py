"""An assessment's submissions as a history: which replaced which, which answers count.

Pure. A Kobo edit names the submission it replaces (`supersedes`): the replaced one is
`superseded_by` the edit and none of its answers count any more. Among the rest, an actor's
current answer to an indicator is the one from its submission with the latest
`submitted_at`, ties broken by the larger `submission_id` (contract section 5), so a
reviewer can see which answers scoring weighs against each other in a conflict.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from mgi_shared.mongo import Document


@dataclass(frozen=True)
class Lineage:
    superseded_by: dict[str, str]  # replaced submission id -> the edit that replaced it
    current: frozenset[tuple[str, str]]  # (submission id, indicator) of answers that count


def lineage(submissions: Iterable[Document]) -> Lineage:
    """`submissions`: stored documents (`_id`, `actor_id`, `submitted_at`, `supersedes`,
    `answers`) of one assessment; complete for each actor present."""
    stored = list(submissions)
    superseded_by = {s["supersedes"]: s["_id"] for s in stored if s.get("supersedes")}
    latest: dict[tuple[str, str], tuple[datetime, str]] = {}
    for submission in stored:
        if submission["_id"] in superseded_by:
            continue
        rank = (submission["submitted_at"], submission["_id"])
        for answer in submission["answers"]:
            slot = (submission["actor_id"], answer["indicator"])
            if slot not in latest or rank > latest[slot]:
                latest[slot] = rank
    current = frozenset((submission_id, indicator)
                        for (_, indicator), (_, submission_id) in latest.items())  # fmt: skip
    return Lineage(superseded_by, current)
