"""The sample rollout, built from the catalogues with a fixed seed: pure data, no I/O.

Modelled on Indonesia's MGI launch: the national assessment's actor map holds 17 ministries and
agencies, grouped in the focus-group (FGD) clusters of the six MGI domains; two of them answer
one indicator differently, the conflict a reviewer settles. Jakarta (`IDN-JK`) answers the local
questionnaire through KoboToolbox, one office editing its form after sending it. Mexico reports
over Kafka from its own system; Kenya's second round is compared with its 2021 baseline.

The answers are the same every run (a fixed seed); the assessment ids (the run id is their
suffix) and submission ids are new each run, so the demo can be re-run on the same data any
number of times.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from mgi_cli.demo.actors import actor_map, cluster_actor_map

# How each submission reaches intake.
HTTP, KAFKA, KOBO = "http", "kafka", "kobo"


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
    path: str  # how its offices send their answers
    round: int = 1
    strength: float = 0.6  # how much of the policy framework is in place
    share_submitting: float = 1.0  # actors that have submitted by the end of the demo
    language: str = "en"


@dataclass(frozen=True)
class Planned:
    """One submission and the path it takes; `supersedes` for a Kobo edit."""

    body: dict[str, Any]
    path: str
    supersedes: str | None = None


@dataclass
class AssessmentPlan:
    country: Country
    body: dict[str, Any]
    actors: dict[str, dict[str, Any]]
    submissions: list[Planned] = field(default_factory=list)
    # (indicator, actor, other actor) answered differently on purpose, for the reviewer.
    conflict: tuple[str, str, str] | None = None

    @property
    def assessment_id(self) -> str:
        return str(self.body["assessment_id"])

    @property
    def jurisdiction(self) -> str:
        return str(self.body["jurisdiction"]["code"])

    @property
    def distinct_submissions(self) -> int:
        return len({p.body["submission_id"] for p in self.submissions})


COUNTRIES = (
    Country("IDN", "Indonesia", None, 2023, HTTP, strength=0.7),
    Country("IDN-JK", "Jakarta", "IDN", 2023, KOBO, strength=0.55, language="id"),
    Country("MEX", "Mexico", None, 2024, KAFKA, strength=0.65, share_submitting=0.7, language="es"),
    Country("KEN", "Kenya", None, 2021, HTTP, strength=0.45),
    Country("KEN", "Kenya", None, 2024, HTTP, round=2, strength=0.6),
)


def build_rollout(
    national: CatalogueView, local: CatalogueView, run_id: str, seed: int = 2023
) -> list[AssessmentPlan]:
    rng = random.Random(seed)
    return [_plan(c, local if c.parent else national, run_id, rng) for c in COUNTRIES]


def _plan(
    country: Country, catalogue: CatalogueView, run_id: str, rng: random.Random
) -> AssessmentPlan:
    scope = "local" if country.parent else "national"
    assessment_id = f"{country.code}-{country.year}-{scope}-{run_id}"
    body = {
        "assessment_id": assessment_id,
        "jurisdiction": {"code": country.code, "name": country.name, "parent": country.parent},
        "scope": scope,
        "round": country.round,
        "catalogue_version": catalogue.version,
        "languages": ["en", "fr", "es"],
    }
    national_launch = country.code == "IDN"
    actors = (
        actor_map(catalogue.indicators)
        if national_launch
        else cluster_actor_map(country.code.lower(), catalogue.indicators)
    )
    plan = AssessmentPlan(country, body, actors)
    # What is actually in place; ministries mostly report it, and sometimes disagree.
    truth = {code: _value(country.strength, rng) for code, _ in catalogue.indicators}
    submitting = sorted(actors)[: max(1, round(len(actors) * country.share_submitting))]
    start = datetime(country.year, 3, 1, 9, 0, tzinfo=UTC)
    for index, actor_id in enumerate(submitting):
        reported = {code: truth[code] if rng.random() < 0.9 else _value(country.strength, rng)
                    for code in actors[actor_id]["indicators"]}  # fmt: skip
        when = start + timedelta(days=index)
        plan.submissions.append(Planned(_submission(plan, actor_id, when, reported),
                                        country.path))  # fmt: skip
    if national_launch:
        plan.conflict = _shared_indicator(actors)
        _disagree(plan, truth)
    if country.path == KOBO:
        _edit_one(plan)
    return plan


def _shared_indicator(actors: dict[str, dict[str, Any]]) -> tuple[str, str, str]:
    """The one indicator two actors of the map both answer."""
    owners: dict[str, list[str]] = {}
    for actor_id, actor in sorted(actors.items()):
        for code in actor["indicators"]:
            owners.setdefault(code, []).append(actor_id)
    code, (first, second) = next((c, o) for c, o in owners.items() if len(o) == 2)
    return code, first, second


def _disagree(plan: AssessmentPlan, truth: dict[str, str]) -> None:
    """The two actors sharing the conflict indicator answer it yes and no."""
    assert plan.conflict is not None
    code, first, second = plan.conflict
    for planned in plan.submissions:
        actor = planned.body["actor_id"]
        for answer in planned.body["answers"]:
            if answer["indicator"] == code and actor in (first, second):
                answer["value"] = "yes" if actor == first else "no"
    truth[code] = "yes"


def _edit_one(plan: AssessmentPlan) -> None:
    """An office corrects two answers of its Kobo form after sending it: Kobo sends the edit
    as a new submission naming the one it replaces."""
    original = plan.submissions[0]
    answers = [dict(a) for a in original.body["answers"]]
    for answer in answers[:2]:
        answer["value"] = "partial" if answer["value"] != "partial" else "yes"
    edited = {
        **original.body,
        "submission_id": str(uuid.uuid4()),
        "submitted_at": _later(original.body["submitted_at"], hours=6),
        "answers": answers,
    }
    plan.submissions.append(Planned(edited, KOBO, supersedes=original.body["submission_id"]))


def _later(iso: str, hours: int) -> str:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")) + timedelta(hours=hours)
    return moment.isoformat().replace("+00:00", "Z")


def _value(strength: float, rng: random.Random) -> str:
    draw = rng.random()
    return ("yes" if draw < strength * 0.8 else "partial" if draw < strength * 1.2
            else "not_applicable" if draw > 0.97 else "no")  # fmt: skip


def _submission(
    plan: AssessmentPlan,
    actor_id: str,
    when: datetime,
    values: dict[str, str],
) -> dict[str, Any]:
    return {
        "submission_id": str(uuid.uuid4()),
        "assessment_id": plan.assessment_id,
        "actor_id": actor_id,
        "language": plan.country.language if plan.country.language != "id" else "en",
        "submitted_at": when.isoformat().replace("+00:00", "Z"),
        "answers": [
            {
                "indicator": code,
                "value": value,
                "sources": ["Demo source"],
                "evidence": f"Illustrative evidence for {code}",
            }
            for code, value in values.items()
        ],
    }
