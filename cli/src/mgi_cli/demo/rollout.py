"""The sample rollout, built from a catalogue with a fixed seed: pure data, no I/O.

Each country gets an actor map of ministries (one per domain cluster) plus a
statistics office that also answers the whole-of-government indicators, so some
indicators get two answers that may disagree: the conflicts scoring must flag.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

CLUSTER_MINISTRIES = {
    "rights": ("mol", "Ministry of Labour and Social Affairs"),
    "government": ("moi", "Ministry of Interior"),
    "partnerships": ("mofa", "Ministry of Foreign Affairs"),
    "wellbeing": ("moe", "Ministry of Economy"),
    "crises": ("dma", "Disaster Management Agency"),
    "safe_migration": ("imm", "Directorate General of Immigration"),
}


@dataclass(frozen=True)
class CatalogueView:
    version: str
    scope: str
    indicators: list[tuple[str, str]]  # (code, domain)


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    parent: str | None
    year: int
    round: int = 1
    strength: float = 0.6  # how much of the policy framework is in place
    share_submitting: float = 1.0  # actors that have submitted by the end of the demo
    validate: bool = False  # walk it through to `validated`


@dataclass
class AssessmentPlan:
    body: dict[str, Any]
    actors: dict[str, dict[str, Any]]
    submissions: list[dict[str, Any]] = field(default_factory=list)
    validate: bool = False

    @property
    def assessment_id(self) -> str:
        return str(self.body["assessment_id"])

    @property
    def jurisdiction(self) -> str:
        return str(self.body["jurisdiction"]["code"])


COUNTRIES = (
    Country("IDN", "Indonesia", None, 2023, strength=0.7, validate=True),
    Country("IDN-JK", "Jakarta", "IDN", 2023, strength=0.55),
    Country("MEX", "Mexico", None, 2024, strength=0.65, share_submitting=0.7),
    Country("KEN", "Kenya", None, 2021, strength=0.45),
    Country("KEN", "Kenya", None, 2024, round=2, strength=0.6, validate=True),
)


def build_rollout(
    national: CatalogueView, local: CatalogueView, seed: int = 2023
) -> list[AssessmentPlan]:
    rng = random.Random(seed)
    return [_plan(country, local if country.parent else national, rng) for country in COUNTRIES]


def _plan(country: Country, catalogue: CatalogueView, rng: random.Random) -> AssessmentPlan:
    scope = "local" if country.parent else "national"
    assessment_id = f"{country.code}-{country.year}-{scope}"
    body = {
        "assessment_id": assessment_id,
        "jurisdiction": {"code": country.code, "name": country.name, "parent": country.parent},
        "scope": scope,
        "round": country.round,
        "catalogue_version": catalogue.version,
        "languages": ["en"],
    }
    actors = _actor_map(country.code.lower(), catalogue)
    plan = AssessmentPlan(body=body, actors=actors, validate=country.validate)
    submitting = sorted(actors)[: max(1, round(len(actors) * country.share_submitting))]
    start = datetime(country.year, 3, 1, 9, 0, tzinfo=UTC)
    # What is actually in place; ministries mostly report it, and sometimes disagree.
    truth = {code: _value(country.strength, rng) for code, _ in catalogue.indicators}
    for index, actor_id in enumerate(submitting):
        plan.submissions += _submissions_of(assessment_id, actor_id, actors[actor_id], truth,
                                            country.strength, start + timedelta(days=index), rng)  # fmt: skip
    return plan


def _actor_map(prefix: str, catalogue: CatalogueView) -> dict[str, dict[str, Any]]:
    actors: dict[str, dict[str, Any]] = {}
    for code, domain in catalogue.indicators:
        short, name = CLUSTER_MINISTRIES[domain]
        actor = actors.setdefault(
            f"{prefix}-{short}", {"name": name, "cluster": domain, "indicators": []}
        )
        actor["indicators"].append(code)
    government = [code for code, domain in catalogue.indicators if domain == "government"]
    actors[f"{prefix}-stats"] = {"name": "National Statistics Office", "cluster": "government",
                                 "indicators": government}  # fmt: skip
    return actors


def _submissions_of(
    assessment_id: str, actor_id: str, actor: dict[str, Any], truth: dict[str, str],
    strength: float, when: datetime, rng: random.Random,
) -> list[dict[str, Any]]:  # fmt: skip
    """A first submission with every answer, then a later correction of a few of them."""
    reported = {code: truth[code] if rng.random() < 0.9 else _value(strength, rng)
                for code in actor["indicators"]}  # fmt: skip
    first = _submission(assessment_id, actor_id, when, _answers(reported), rng)
    corrected = {
        code: truth[code] for code in rng.sample(sorted(reported), k=min(2, len(reported)))
    }
    second = _submission(
        assessment_id, actor_id, when + timedelta(hours=5), _answers(corrected), rng
    )
    return [first, second]


def _value(strength: float, rng: random.Random) -> str:
    draw = rng.random()
    return ("yes" if draw < strength * 0.8 else "partial" if draw < strength * 1.2
            else "not_applicable" if draw > 0.97 else "no")  # fmt: skip


def _answers(values: dict[str, str]) -> list[dict[str, Any]]:
    return [{"indicator": code, "value": value, "evidence": f"Illustrative evidence for {code}",
             "sources": ["Demo source"]} for code, value in values.items()]  # fmt: skip


def _submission(
    assessment_id: str,
    actor_id: str,
    when: datetime,
    answers: list[dict[str, Any]],
    rng: random.Random,
) -> dict[str, Any]:
    return {
        "submission_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "assessment_id": assessment_id,
        "actor_id": actor_id,
        "language": "en",
        "submitted_at": when.isoformat().replace("+00:00", "Z"),
        "answers": answers,
    }
