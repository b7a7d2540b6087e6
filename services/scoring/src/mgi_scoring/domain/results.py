"""The results document of contract section 5, plus the additive follow-up comparison."""

from pydantic import BaseModel, Field

from mgi_scoring.domain.consolidation import IndicatorStatus
from mgi_shared.contracts.submission import AnswerValue


class IndicatorResult(BaseModel):
    indicator: str
    domain: str
    sub_area: str
    value: AnswerValue | None
    score: float | None
    status: IndicatorStatus
    contributors: list[str]
    resolved: bool = Field(default=False, description="value set by a reviewer's resolution")
    note: str | None = Field(
        default=None,
        description="the reviewer's note on the resolution (published profiles show it)",
    )


class DomainResult(BaseModel):
    domain: str
    score: float | None
    answered: int
    total: int
    well_developed: list[str]
    needs_development: list[str]


class DomainChange(BaseModel):
    """One domain against the previous round, like for like through the code mapping."""

    domain: str
    score: float | None
    previous_score: float | None
    change: float | None = Field(description="score - previous_score, null if either is null")
    compared: int = Field(description="indicators scored in both rounds")
    improved: list[str] = Field(description="this round's codes that scored higher than before")
    declined: list[str] = Field(description="this round's codes that scored lower than before")


class Comparison(BaseModel):
    previous_assessment_id: str
    previous_round: int
    previous_catalogue_version: str
    domains: list[DomainChange]


class Results(BaseModel):
    assessment_id: str
    revision: int = 0
    catalogue_version: str
    completeness: float
    indicators: list[IndicatorResult]
    domains: list[DomainResult]
    comparison: Comparison | None = None

    def same_as(self, other: "Results | None") -> bool:
        """Equal apart from the revision number: what decides whether a revision is due."""
        if other is None:
            return False
        # Field by field (nested models compare their fields): dumping both to dicts first cost
        # as much as computing the results.
        return all(
            getattr(self, name) == getattr(other, name)
            for name in type(self).model_fields
            if name != "revision"
        )

    def indicator(self, code: str) -> IndicatorResult | None:
        return next((i for i in self.indicators if i.indicator == code), None)

    def open_conflicts(self) -> list[str]:
        return [i.indicator for i in self.indicators if i.status is IndicatorStatus.CONFLICT]
