"""Everything scoring keeps about one assessment, and the pure steps that change it."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from mgi_scoring.domain.answers import StoredSubmission, add_submission
from mgi_scoring.domain.consolidation import Resolution
from mgi_scoring.domain.results import Results
from mgi_shared.catalogue.model import CatalogueStructure
from mgi_shared.contracts.payloads import AssessmentStatus

STATUS_ORDER = list(AssessmentStatus)


@dataclass(frozen=True)
class AssessmentInfo:
    """What the assessments topic told us: where, which round, and the catalogue to score by."""

    jurisdiction: str
    round: int
    scope: str
    status: AssessmentStatus
    catalogue: CatalogueStructure


@dataclass(frozen=True)
class PreviousRound:
    round: int
    results: Results


@dataclass(frozen=True)
class ScoringState:
    assessment_id: str
    # Compare-and-set counter of the stored document: a write names the one it read.
    version: int = 0
    submissions: tuple[StoredSubmission, ...] = ()
    info: AssessmentInfo | None = None
    resolutions: Mapping[str, Resolution] = field(default_factory=dict)
    results: Results | None = None
    completed: bool = False
    event_ids: frozenset[str] = frozenset()

    @property
    def revision(self) -> int:
        return self.results.revision if self.results else 0


def with_submission(state: ScoringState, submission: StoredSubmission) -> ScoringState:
    return replace(state, submissions=add_submission(state.submissions, submission))


def with_info(state: ScoringState, info: AssessmentInfo) -> ScoringState:
    """Status only moves forward, so a late redelivery of an older change cannot undo one."""
    if state.info is not None and STATUS_ORDER.index(state.info.status) > STATUS_ORDER.index(
        info.status
    ):
        info = replace(info, status=state.info.status)
    return replace(state, info=info)


def with_resolution(state: ScoringState, resolution: Resolution) -> ScoringState:
    return replace(state, resolutions={**state.resolutions, resolution.indicator: resolution})


def with_event(state: ScoringState, event_id: str | None) -> ScoringState:
    if event_id is None:
        return state
    return replace(state, event_ids=state.event_ids | {event_id})
