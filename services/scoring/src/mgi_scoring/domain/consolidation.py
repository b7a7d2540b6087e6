"""One value per indicator from several actors' answers, or a conflict for a reviewer."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from mgi_scoring.domain.answers import AnswerKey, CurrentAnswer, latest_key
from mgi_shared.contracts.submission import AnswerValue

SCORES: Mapping[AnswerValue, float] = {
    AnswerValue.YES: 1.0,
    AnswerValue.PARTIAL: 0.5,
    AnswerValue.NO: 0.0,
}


class IndicatorStatus(StrEnum):
    AGREED = "agreed"
    CONFLICT = "conflict"
    MISSING = "missing"


@dataclass(frozen=True)
class Resolution:
    """A reviewer's value for an indicator; `basis` is the newest answer it considered."""

    indicator: str
    value: AnswerValue
    note: str
    basis: AnswerKey | None
    resolved_by: str
    resolved_at: datetime


@dataclass(frozen=True)
class Outcome:
    status: IndicatorStatus
    value: AnswerValue | None
    contributors: list[str]
    resolved: bool = False
    note: str | None = None  # the reviewer's, when resolved with one

    @property
    def score(self) -> float | None:
        return SCORES.get(self.value) if self.value is not None else None


def resolution_stands(resolution: Resolution, answers: Mapping[str, CurrentAnswer]) -> bool:
    """A newer answer than the one the reviewer saw reopens the check."""
    newest = latest_key(answers)
    if newest is None:
        return True
    return resolution.basis is not None and newest <= resolution.basis


def consolidate(
    answers: Mapping[str, CurrentAnswer], resolution: Resolution | None = None
) -> Outcome:
    # `unknown` is no answer at all: it neither counts nor conflicts.
    counting = {a: c.value for a, c in answers.items() if c.value is not AnswerValue.UNKNOWN}
    contributors = sorted(counting)
    if resolution is not None and resolution_stands(resolution, answers):
        return Outcome(IndicatorStatus.AGREED, resolution.value, contributors, resolved=True,
                       note=resolution.note or None)  # fmt: skip
    values = set(counting.values())
    if not values:
        return Outcome(IndicatorStatus.MISSING, None, contributors)
    if len(values) == 1:
        return Outcome(IndicatorStatus.AGREED, values.pop(), contributors)
    return Outcome(IndicatorStatus.CONFLICT, None, contributors)
