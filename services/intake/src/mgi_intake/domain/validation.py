"""Whether a submission may be accepted into its assessment.

Every problem is reported, each naming its field, so a ministry fixes all of
them in one round instead of one per attempt.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from mgi_intake.domain.draft import Draft
from mgi_intake.domain.kobo import SUPERSEDES_FIELD
from mgi_shared.contracts.payloads import AssessmentStatus
from mgi_shared.problems import Problem

# How far ahead of intake's clock a submission's `submitted_at` may be (the sender's clock may
# run fast). The latest answer wins, so an unbounded future date would hide every correction.
CLOCK_ALLOWANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class AssessmentFacts:
    """What validation needs to know of the target assessment and of the submitting actor."""

    assessment_id: str
    status: AssessmentStatus
    catalogue_codes: frozenset[str]
    # The indicators the actor map assigns to the submitting actor; None: not in the map.
    assigned: frozenset[str] | None
    # The submission an edit replaces, when intake has it: (its assessment, its actor).
    superseded_owner: tuple[str, str] | None = None


def validate_submission(
    draft: Draft, facts: AssessmentFacts | None, received_at: datetime
) -> list[Problem]:
    """The checks against the assessment, on whatever the body's schema let `draft` read:
    a field the schema refused is left to its schema problem."""
    problems = _time_problems(draft.submitted_at, received_at)
    if draft.assessment_id is None:
        return problems  # the schema names it; nothing else can be checked without it
    if facts is None:
        problems.append(Problem("assessment_id", f"unknown assessment '{draft.assessment_id}'"))
        return problems
    if facts.status is not AssessmentStatus.DATA_COLLECTION:
        problems.append(
            Problem(
                "assessment_id",
                f"assessment is in '{facts.status}', submissions need 'data_collection'",
            )
        )
    assigned = facts.assigned
    if draft.actor_id is not None and assigned is None:
        problems.append(Problem("actor_id", f"unknown actor '{draft.actor_id}'"))
    seen: set[str] = set()
    for position, code in enumerate(draft.indicators):
        if code is None:
            continue
        field = f"answers[{position}].indicator"
        if code not in facts.catalogue_codes:
            problems.append(Problem(field, f"unknown indicator code '{code}'"))
        elif assigned is not None and code not in assigned:
            problems.append(
                Problem(field, f"indicator '{code}' is not assigned to '{draft.actor_id}'")
            )
        if code in seen:
            problems.append(Problem(field, f"indicator '{code}' is answered twice"))
        seen.add(code)
    owner = facts.superseded_owner
    if owner is not None and owner != (draft.assessment_id, draft.actor_id):
        # Otherwise one actor's edit could erase another actor's answers.
        problems.append(
            Problem(
                SUPERSEDES_FIELD, "the replaced submission belongs to another actor or assessment"
            )
        )
    return problems


def _time_problems(submitted_at: datetime | None, received_at: datetime) -> list[Problem]:
    latest = received_at + CLOCK_ALLOWANCE
    if submitted_at is None or submitted_at <= latest:
        return []
    message = (
        f"{submitted_at.isoformat()} is later than the time received "
        f"({received_at.isoformat(timespec='seconds')}) plus {CLOCK_ALLOWANCE.seconds // 60} minutes"
    )
    return [Problem("submitted_at", message)]


def in_field_order(problems: list[Problem]) -> list[Problem]:
    """Top-level fields first, then answer by answer, so an answer's schema problem and its
    problem with the assessment stand side by side (the sort is stable)."""

    def position(problem: Problem) -> int:
        match = re.match(r"^answers\[(\d+)\]", problem.field)
        return int(match.group(1)) if match else -1

    return sorted(problems, key=position)
