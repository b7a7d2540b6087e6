"""How big each measurement is: the full form the issue asks for, and a quick form of seconds."""

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class BenchOptions:
    out: Path  # results folder: bench.json and bench.png
    rate: float  # submissions/s offered during each latency run
    duration: float  # seconds of each latency run
    assessments: int  # the pipeline and latency loads are spread over this many assessments
    pipeline_submissions: int  # published on the inbound topic at full speed
    http_submissions: int  # POSTed to intake
    http_clients: int  # concurrent HTTP clients
    stored: tuple[int, ...]  # latency again once this many submissions are stored, each level
    seed_per_assessment: int  # seeded submissions per assessment (6 actors, several rounds)
    ministries: int  # one assessment answered `rounds` times over by this many actors
    rounds: int
    rescore_assessments: int  # national assessments, fully answered, rescored at once
    rescore_actors: int
    floor_records: int  # records through the floor loop at full speed
    max_wait: float  # seconds any one wait may last (results, catching up, settling)
    max_seed: float  # seconds seeding one level may take (estimated first, then waited for)
    quick: bool


FULL: dict[str, Any] = {
    "rate": 100.0, "duration": 60.0, "assessments": 100, "pipeline_submissions": 1000,
    "http_submissions": 1000, "http_clients": 16, "stored": (1000, 20000),
    "seed_per_assessment": 50, "ministries": 17, "rounds": 6, "rescore_assessments": 100,
    "rescore_actors": 5, "floor_records": 3000, "max_wait": 60.0,
    "max_seed": 240.0,
}  # fmt: skip

# A few seconds per step: enough to exercise every code path and print plausible figures.
QUICK: dict[str, Any] = {
    **FULL, "rate": 20.0, "duration": 5.0, "assessments": 10, "pipeline_submissions": 200,
    "http_submissions": 200, "stored": (200, 1000), "rescore_assessments": 10,
    "floor_records": 500,
}  # fmt: skip


def bench_options(out: Path, quick: bool, **overrides: Any) -> BenchOptions:
    """The quick or full profile, with every option the operator gave (not None) on top."""
    base = BenchOptions(out=out, quick=quick, **(QUICK if quick else FULL))
    given = {name: value for name, value in overrides.items() if value is not None}
    return replace(base, **given)


def parse_levels(text: str) -> tuple[int, ...]:
    """`1000,20000` -> (1000, 20000); ascending, as seeding only ever adds."""
    levels = tuple(sorted(int(part) for part in text.replace(" ", "").split(",") if part))
    if not levels or levels[0] <= 0:
        raise ValueError("stored levels are positive whole numbers, e.g. 1000,20000")
    return levels
