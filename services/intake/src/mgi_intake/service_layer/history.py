"""Reading an assessment's submissions as a history, filtered by actor and indicator."""

from mgi_intake.adapters.submissions import HISTORY_LIMIT
from mgi_intake.domain.history import lineage
from mgi_intake.schemas import AnswerInHistory, SubmissionHistory, SubmissionInHistory
from mgi_intake.service_layer.deps import Deps
from mgi_shared.mongo import Document


async def submission_history(
    assessment: Document, deps: Deps, actor: str | None = None, indicator: str | None = None
) -> SubmissionHistory:
    """An edit replaces only its own actor's submissions, so one actor's submissions are
    enough to tell what replaced what and which answers count: with `actor`, no other
    actor's submission is read."""
    assessment_id = assessment["_id"]
    total = (assessment.get("counts") or {}).get("submissions", 0)
    listed = await deps.submissions.listed(assessment_id, total)
    ids = [entry["id"] for entry in listed if actor is None or entry["actor"] == actor]
    stored = await deps.submissions.get_many(ids)
    known = lineage(stored)
    stored.sort(key=lambda s: (s["submitted_at"], s["received_at"], s["_id"]))
    shown = []
    for submission in stored:
        answers = [
            AnswerInHistory(
                **answer, current=(submission["_id"], answer["indicator"]) in known.current
            )
            for answer in submission["answers"]
            if indicator is None or answer["indicator"] == indicator
        ]
        if not answers:
            continue
        shown.append(SubmissionInHistory(
            submission_id=submission["_id"], actor_id=submission["actor_id"],
            source=submission["source"], language=submission["language"],
            submitted_at=submission["submitted_at"], received_at=submission["received_at"],
            supersedes=submission.get("supersedes"),
            superseded_by=known.superseded_by.get(submission["_id"]), answers=answers,
        ))  # fmt: skip
    truncated = total > HISTORY_LIMIT
    return SubmissionHistory(assessment_id=assessment_id, submissions=shown, truncated=truncated)
