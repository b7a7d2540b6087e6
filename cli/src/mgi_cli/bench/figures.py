"""The arithmetic of the report, with no I/O: percentiles, ratios to the floor, goals."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Comparison = Literal["<", "<=", ">="]


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), interpolated linearly between the closest ranks.

    The same definition as numpy's default, so figures can be checked with any tool.
    """
    if not samples:
        raise ValueError("no samples")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0-100")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    below, above = math.floor(rank), math.ceil(rank)
    return ordered[below] + (ordered[above] - ordered[below]) * (rank - below)


@dataclass(frozen=True)
class LatencySummary:
    """Milliseconds; `count` samples."""

    count: int
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of_seconds(cls, seconds: Sequence[float]) -> "LatencySummary":
        ms = [s * 1000 for s in seconds]
        return cls(len(ms), percentile(ms, 50), percentile(ms, 95), percentile(ms, 99), max(ms))


def ratio(value: float, baseline: float | None) -> float | None:
    """value / baseline; None when there is no usable baseline (absent or zero)."""
    if baseline is None or baseline == 0:
        return None
    return value / baseline


@dataclass(frozen=True)
class Goal:
    """A target the issue sets; reported as met or not, never enforced."""

    comparison: Comparison
    threshold: float
    text: str

    def met(self, value: float) -> bool:
        if self.comparison == "<":
            return value < self.threshold
        if self.comparison == "<=":
            return value <= self.threshold
        return value >= self.threshold


PIPELINE_GOAL = Goal(">=", 150, ">= 150 subm./s")
P99_GOAL = Goal("<", 250, "p99 < 250 ms at 100/s")
GROWTH_GOAL = Goal("<=", 1.2, "<= 1.2x, 1k -> 20k stored")
RESCORE_GOAL = Goal("<", 10, "< 10 s for 100")
RSS_GOAL = Goal("<", 200, "< 200 MB per service")


@dataclass(frozen=True)
class Figure:
    """One row of the report: a value, the floor figure it is compared with, and its goal."""

    section: str
    name: str
    value: float
    unit: str
    floor: float | None = None  # the floor's figure in the same unit, measured in this run
    goal: Goal | None = None
    note: str = ""

    @property
    def x_floor(self) -> float | None:
        return ratio(self.value, self.floor)

    @property
    def met(self) -> bool | None:
        return None if self.goal is None else self.goal.met(self.value)
