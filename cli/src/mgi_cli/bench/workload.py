"""What the benchmark sends: assessments, actor maps and submission bodies. Pure data, no I/O.

Every submission must change its assessment's results, or scoring emits no results.updated
for it and the pipeline figures would count nothing: each actor answers every indicator of
its assignment, and its next submission gives each of them another value.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

# A user-assigned ISO 3166 code (XAA-XZZ): no real country's rounds or keys are touched.
JURISDICTION = {"code": "XBM", "name": "Benchmark (user-assigned code)", "parent": None}
VALUES = ("yes", "no", "partial")
T0 = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)

Json = dict[str, Any]


@dataclass(frozen=True)
class Catalogue:
    version: str
    indicators: tuple[tuple[str, str], ...]  # (code, domain), in catalogue order


@dataclass(frozen=True)
class Actor:
    actor_id: str
    cluster: str
    indicators: tuple[str, ...]

    def body(self) -> Json:
        return {"name": f"Benchmark {self.actor_id}", "cluster": self.cluster,
                "indicators": list(self.indicators)}  # fmt: skip


@dataclass(frozen=True)
class BenchAssessment:
    assessment_id: str
    actors: tuple[Actor, ...]

    def body(self, catalogue_version: str) -> Json:
        return {
            "assessment_id": self.assessment_id,
            "jurisdiction": JURISDICTION,
            "scope": "national",
            "round": 1,
            "catalogue_version": catalogue_version,
            "languages": ["en"],
        }


def actor_per_domain(catalogue: Catalogue) -> tuple[Actor, ...]:
    """One ministry per domain, disjoint assignments: the shape of a typical national map."""
    domains: dict[str, list[str]] = {}
    for code, domain in catalogue.indicators:
        domains.setdefault(domain, []).append(code)
    return tuple(Actor(f"min-{domain}", domain, tuple(codes)) for domain, codes in domains.items())


def ministries(catalogue: Catalogue, count: int) -> tuple[Actor, ...]:
    """`count` actors sharing the whole catalogue between them (every indicator answered)."""
    codes = [code for code, _ in catalogue.indicators]
    return tuple(
        Actor(f"min-{index:02d}", "ministries", tuple(codes[index::count]))
        for index in range(count)
        if codes[index::count]
    )


class SubmissionStream:
    """The next submission of each assessment in turn; each changes that assessment's results.

    The n-th submission of an assessment comes from actor n mod actors, in round n div actors;
    in round r indicator i is answered VALUES[(i + r) mod 3], which differs from round r - 1.
    """

    def __init__(self, prefix: str, assessments: Sequence[BenchAssessment], catalogue: Catalogue):
        if not assessments:
            raise ValueError("a submission stream needs at least one assessment")
        self._prefix = prefix
        self._assessments = list(assessments)
        self._positions = {code: index for index, (code, _) in enumerate(catalogue.indicators)}
        self._sent = [0] * len(assessments)
        self._turn = 0

    def next(self) -> Json:
        slot = self._turn % len(self._assessments)
        self._turn += 1
        assessment = self._assessments[slot]
        nth = self._sent[slot]
        self._sent[slot] += 1
        actor = assessment.actors[nth % len(assessment.actors)]
        round_number = nth // len(assessment.actors)
        return {
            "submission_id": f"{self._prefix}-{self._turn - 1}",
            "assessment_id": assessment.assessment_id,
            "actor_id": actor.actor_id,
            "language": "en",
            "submitted_at": (T0 + timedelta(minutes=nth)).isoformat().replace("+00:00", "Z"),
            "answers": [
                {
                    "indicator": code,
                    "value": VALUES[(self._positions[code] + round_number) % len(VALUES)],
                    "evidence": f"Benchmark evidence for {code}, round {round_number}",
                }
                for code in actor.indicators
            ],
        }

    def take(self, count: int) -> list[Json]:
        return [self.next() for _ in range(count)]
