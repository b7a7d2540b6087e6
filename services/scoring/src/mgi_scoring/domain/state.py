"""Everything scoring keeps about one assessment, and the pure steps that change it."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from mgi_scoring.domain.answers import AnswerBook, StoredSubmission
from mgi_scoring.domain.consolidation import Resolution
from mgi_scoring.domain.recording import record
from mgi_scoring.domain.results import Results
from mgi_shared.catalogue.model import CatalogueStructure
from mgi_shared.contracts.payloads import AssessmentStatus

STATUS_ORDER = list(AssessmentStatus)
# From validation on, the results are what was agreed and (then) published: a correction
# goes into a new round (statuses never step back), never into a reviewer's resolution.
RESULTS_FROZEN_FROM = AssessmentStatus.VALIDATED


def results_frozen(status: AssessmentStatus) -> bool:
    return STATUS_ORDER.index(status) >= STATUS_ORDER.index(RESULTS_FROZEN_FROM)


# How many processed event ids an assessment remembers. Enough, because every change is
# idempotent by content as well: a submission already in the answer book changes nothing (see
# `recording`), and an assessment change only carries the same catalogue and round again with a
# status that only moves forward. The window adds two things for recent repeats (redeliveries
# come soon after the first delivery): the next round is refreshed again when a crash came
# between a save and that refresh, and a dropped submission is not counted twice.
EVENT_WINDOW = 64


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
    answers: AnswerBook = field(default_factory=AnswerBook)
    info: AssessmentInfo | None = None
    resolutions: Mapping[str, Resolution] = field(default_factory=dict)
    results: Results | None = None
    completed: bool = False
    event_ids: tuple[str, ...] = ()  # the last EVENT_WINDOW processed, oldest first

    @property
    def revision(self) -> int:
        return self.results.revision if self.results else 0


def with_submission(state: ScoringState, submission: StoredSubmission) -> ScoringState:
    return replace(state, answers=record(state.answers, submission))


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
    if event_id is None or event_id in state.event_ids:
        return state
    return replace(state, event_ids=(*state.event_ids, event_id)[-EVENT_WINDOW:])
