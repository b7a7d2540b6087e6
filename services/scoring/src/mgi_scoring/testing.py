"""Builders and an in-memory repository for the scoring service's own tests."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from mgi_scoring.domain.results import Results
from mgi_scoring.domain.state import ScoringState
from mgi_shared.catalogue.model import CatalogueStructure
from mgi_shared.contracts.payloads import (
    AssessmentChanged,
    AssessmentStatus,
    EventType,
    SubmissionAccepted,
    SubmissionAcceptedData,
)
from mgi_shared.contracts.submission import Answer, AnswerValue
from mgi_shared.mongo import Document
from mgi_shared.outbox import entry_event
from mgi_shared.testing.events import assessment_changed

T0 = datetime(2023, 5, 10, 9, 30, tzinfo=UTC)


def catalogue(version: str = "test-1", **extra: Any) -> CatalogueStructure:
    """Two domains: rights (r1, r2 in 'access'; r3 in 'work') and government (g1, g2)."""
    return CatalogueStructure.model_validate(
        {
            "version": version,
            "scope": "national",
            "domains": [
                {"domain": "rights", "sub_areas": ["access", "work"]},
                {"domain": "government", "sub_areas": ["strategy"]},
            ],
            "indicators": [
                {"code": "r1", "domain": "rights", "sub_area": "access"},
                {"code": "r2", "domain": "rights", "sub_area": "access"},
                {"code": "r3", "domain": "rights", "sub_area": "work"},
                {"code": "g1", "domain": "government", "sub_area": "strategy"},
                {"code": "g2", "domain": "government", "sub_area": "strategy"},
            ],
            **extra,
        }
    )


def accepted(
    assessment_id: str,
    actor: str,
    answers: dict[str, str],
    *,
    minutes: int = 0,
    submission_id: str | None = None,
    supersedes: str | None = None,
) -> SubmissionAccepted:
    return SubmissionAccepted(
        event_type=EventType.SUBMISSION_ACCEPTED.value,
        assessment_id=assessment_id,
        jurisdiction="IDN",
        data=SubmissionAcceptedData(
            submission_id=submission_id or uuid4().hex,
            actor_id=actor,
            language="en",
            submitted_at=T0 + timedelta(minutes=minutes),
            received_at=T0,
            catalogue_version="test-1",
            answers=[Answer(indicator=k, value=AnswerValue(v)) for k, v in answers.items()],
            supersedes=supersedes,
            source="http",
        ),
    )


def changed(
    assessment_id: str,
    *,
    jurisdiction: str = "IDN",
    round_number: int = 1,
    status: AssessmentStatus = AssessmentStatus.DATA_COLLECTION,
    structure: CatalogueStructure | None = None,
) -> AssessmentChanged:
    return assessment_changed(assessment_id, status, structure or catalogue(),
                              code=jurisdiction, round_number=round_number)  # fmt: skip


class InMemoryScoringRepository:
    """The repository contract without a database; `outbox` collects emitted events."""

    def __init__(self) -> None:
        self.states: dict[str, ScoringState] = {}
        self.outbox: list[Document] = []

    async def load(self, assessment_id: str, *, cached: bool = False) -> ScoringState:
        return self.states.get(assessment_id, ScoringState(assessment_id=assessment_id))

    async def save(
        self, state: ScoringState, expected_version: int, outbox: list[Document]
    ) -> bool:
        stored = self.states.get(state.assessment_id)
        if (stored.version if stored else 0) != expected_version:
            return False
        self.states[state.assessment_id] = replace(state, version=expected_version + 1)
        self.outbox.extend(outbox)
        return True

    async def load_results(self, assessment_id: str) -> Results | None:
        return (await self.load(assessment_id)).results

    async def round_members(self, jurisdiction: str, round_number: int) -> list[str]:
        return [
            assessment_id
            for assessment_id, s in sorted(self.states.items())
            if s.info and s.info.jurisdiction == jurisdiction and s.info.round == round_number
        ]

    async def all_ids(self) -> list[str]:
        return sorted(k for k, s in self.states.items() if s.info is not None)

    def events_for(self, assessment_id: str) -> list[Document]:
        return [entry_event(e) for e in self.outbox if e["key"] == assessment_id]
