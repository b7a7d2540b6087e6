"""One line of the rollout overview, and the workflow's stages in order (pure)."""

from dataclasses import dataclass
from datetime import datetime

STAGES = ("launched", "data_collection", "draft_profile", "consultation", "validated",
          "published")  # fmt: skip
STAGE_NAMES = {"launched": "Launched", "data_collection": "Data collection",
               "draft_profile": "Draft profile", "consultation": "Consultation",
               "validated": "Validated", "published": "Published"}  # fmt: skip


@dataclass(frozen=True)
class RolloutRow:
    assessment_id: str
    jurisdiction: str
    jurisdiction_name: str
    scope: str
    round: int
    status: str
    submissions: int
    actors: int
    actors_reporting: int
    last_submission_at: datetime | None
    # From scoring; None when it has no results yet (or this key may not read them).
    completeness: float | None
    conflicts: int | None

    @property
    def stage(self) -> int:
        """0 (launched) to 5 (published)."""
        return STAGES.index(self.status) if self.status in STAGES else 0

    @property
    def published(self) -> bool:
        return self.status == "published"


def ordered(rows: list[RolloutRow]) -> list[RolloutRow]:
    """By jurisdiction (a country before its local ones), then round."""
    return sorted(rows, key=lambda r: (r.jurisdiction.split("-")[0], r.jurisdiction, r.round,
                                       r.assessment_id))  # fmt: skip


def per_stage(rows: list[RolloutRow]) -> list[int]:
    counts = [0] * len(STAGES)
    for row in rows:
        counts[row.stage] += 1
    return counts


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"
