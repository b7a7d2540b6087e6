"""The assessment's status workflow: one step forward at a time, never back.

`published` is set only when publishing reports success, never by a caller,
so nothing is published before the government validates.
"""

from dataclasses import dataclass

from mgi_shared.contracts.payloads import AssessmentStatus

ORDER = (
    AssessmentStatus.LAUNCHED,
    AssessmentStatus.DATA_COLLECTION,
    AssessmentStatus.DRAFT_PROFILE,
    AssessmentStatus.CONSULTATION,
    AssessmentStatus.VALIDATED,
    AssessmentStatus.PUBLISHED,
)
INITIAL = AssessmentStatus.LAUNCHED
# Only the publication event moves an assessment here.
SYSTEM_ONLY = {AssessmentStatus.PUBLISHED}


@dataclass(frozen=True)
class TransitionError(Exception):
    current: AssessmentStatus
    requested: AssessmentStatus
    allowed_next: AssessmentStatus | None
    reason: str

    def __str__(self) -> str:
        return self.reason


def next_status(current: AssessmentStatus) -> AssessmentStatus | None:
    position = ORDER.index(current)
    return ORDER[position + 1] if position + 1 < len(ORDER) else None


def check_transition(
    current: AssessmentStatus, requested: AssessmentStatus, *, by_system: bool = False
) -> bool:
    """True to change, False when already there (a repeated request); raises when refused."""
    if requested == current:
        return False
    allowed = next_status(current)
    if requested in SYSTEM_ONLY and not by_system:
        raise TransitionError(
            current, requested, allowed, f"'{requested}' is set by the publishing service"
        )
    if requested != allowed:
        step = f"the allowed next step is '{allowed}'" if allowed else "no further step exists"
        raise TransitionError(
            current, requested, allowed, f"cannot go from '{current}' to '{requested}': {step}"
        )
    return True
