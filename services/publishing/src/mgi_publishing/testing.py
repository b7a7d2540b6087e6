"""Builders and in-memory fakes for the publishing service's own tests."""

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from mgi_publishing.domain.attempts import Attempt, Outcome, PortalOutcome
from mgi_publishing.domain.state import PublishingState
from mgi_shared.catalogue.loader import builtin_catalogues
from mgi_shared.catalogue.model import Catalogue
from mgi_shared.contracts.payloads import (
    AssessmentChanged,
    AssessmentStatus,
    EventType,
    ResultsUpdated,
    ResultsUpdatedData,
)
from mgi_shared.contracts.profile import Profile
from mgi_shared.mongo import Document
from mgi_shared.testing.events import assessment_changed

VALUES = ("yes", "partial", "no", "yes", "not_applicable", "yes", "partial")
SCORES = {"yes": 1.0, "partial": 0.5, "no": 0.0}


def catalogue(scope: str = "national") -> Catalogue:
    return next(c for c in builtin_catalogues() if c.scope == scope)


def results(
    assessment_id: str, revision: int, scope: str = "national", *, previous: bool = False
) -> dict[str, Any]:
    """Results shaped like scoring's (contract section 5) for every indicator of the built-in
    catalogue, with one conflict resolved by a reviewer."""
    cat = catalogue(scope)
    indicators: list[dict[str, Any]] = []
    for n, item in enumerate(cat.indicators):
        value = VALUES[(n + revision) % len(VALUES)]
        indicators.append({
            "indicator": item.code, "domain": item.domain, "sub_area": item.sub_area,
            "value": value, "score": SCORES.get(value), "status": "agreed",
            "contributors": ["mofa"], "resolved": n == 3,
            **({"note": "Law No. 6/2011 settles it <b>"} if n == 3 else {}),
        })  # fmt: skip
    domains: list[dict[str, Any]] = []
    for d in cat.domains:
        mine = [i for i in indicators if i["domain"] == d.domain and i["score"] is not None]
        score = round(sum(i["score"] for i in mine) / len(mine), 4) if mine else None
        domains.append({
            "domain": d.domain, "score": score, "answered": len(mine),
            "total": sum(1 for i in indicators if i["domain"] == d.domain),
            "well_developed": d.sub_areas[:1], "needs_development": d.sub_areas[-1:],
        })  # fmt: skip
    comparison = None
    if previous:
        comparison = {
            "previous_assessment_id": f"{assessment_id}-r1", "previous_round": 1,
            "previous_catalogue_version": cat.version,
            "domains": [{"domain": d["domain"], "score": d["score"], "previous_score": 0.4,
                         "change": round((d["score"] or 0) - 0.4, 4), "compared": 5,
                         "improved": ["x"], "declined": []} for d in domains],
        }  # fmt: skip
    return {
        "assessment_id": assessment_id, "revision": revision, "catalogue_version": cat.version,
        "completeness": 0.9, "indicators": indicators, "domains": domains,
        "comparison": comparison, "submissions_applied": 3,
    }  # fmt: skip


def changed(
    assessment_id: str,
    status: AssessmentStatus,
    *,
    code: str = "IDN",
    name: str = "Indonesia",
    scope: str = "national",
    round_number: int = 1,
    languages: tuple[str, ...] = ("en", "fr", "id"),
) -> AssessmentChanged:
    return assessment_changed(assessment_id, status, catalogue(scope).structure(), code=code,
                              name=name, round_number=round_number, languages=languages)  # fmt: skip


def updated(assessment_id: str, revision: int, code: str = "IDN") -> ResultsUpdated:
    return ResultsUpdated(
        event_id=uuid4(),
        event_type=EventType.RESULTS_UPDATED.value,
        assessment_id=assessment_id,
        jurisdiction=code,
        data=ResultsUpdatedData(
            revision=revision,
            completeness=0.9,
            completed=False,
            changed_indicators=[],
            open_conflicts=[],
        ),
    )


class FakeRepository:
    """The Mongo repository's contract in memory: compare-and-set on `version`."""

    def __init__(self) -> None:
        self.states: dict[str, PublishingState] = {}
        self.attempts_by: dict[str, list[Attempt]] = {}
        self.outbox: list[Document] = []

    async def load(self, assessment_id: str) -> PublishingState:
        return self.states.get(assessment_id, PublishingState(assessment_id))

    async def save(
        self, state: PublishingState, expected_version: int, attempts: list[Attempt],
        outbox: list[Document],
    ) -> bool:  # fmt: skip
        current = self.states.get(state.assessment_id)
        if (current.version if current else 0) != expected_version:
            return False
        self.states[state.assessment_id] = replace(state, version=expected_version + 1)
        self.attempts_by.setdefault(state.assessment_id, []).extend(attempts)
        self.outbox.extend(outbox)
        return True

    async def attempts(self, assessment_id: str) -> tuple[PublishingState, list[Attempt]] | None:
        state = self.states.get(assessment_id)
        return (state, self.attempts_by.get(assessment_id, [])) if state else None

    async def published_ids(self) -> list[str]:
        return sorted(a for a, s in self.states.items() if s.published_revision is not None)


class FakeResults:
    def __init__(self) -> None:
        self.by_id: dict[str, dict[str, Any]] = {}

    async def latest(self, assessment_id: str) -> dict[str, Any] | None:
        return self.by_id.get(assessment_id)


class FakeCatalogues:
    async def get(self, version: str) -> Catalogue | None:
        return next((c for c in builtin_catalogues() if c.version == version), None)


class CrashError(Exception):
    """Stands for the process dying just after the portal write."""


class FakePortal:
    """Keeps every profile put, by idempotency key; can fail once after the write."""

    target = "static"

    def __init__(self) -> None:
        self.puts: list[tuple[str, Profile]] = []
        self.crash_after_next_write = False

    async def put(
        self, profile: Profile, catalogue: Catalogue | None, publication_id: str
    ) -> PortalOutcome:
        self.puts.append((f"{profile.assessment_id}:{profile.revision}", profile))
        if self.crash_after_next_write:
            self.crash_after_next_write = False
            raise CrashError("process died after the portal write")

        attempt = Attempt(assessment_id=profile.assessment_id, publication_id=publication_id,
                          revision=profile.revision, target=self.target, attempt=1,
                          at=datetime.now(UTC), status=Outcome.SUCCEEDED, location="here")  # fmt: skip
        return PortalOutcome(succeeded=True, target=self.target, location="here",
                             attempts=[attempt])  # fmt: skip
