"""What the use cases need from storage; the Mongo adapter and the test fake both provide it."""

from typing import Protocol

from mgi_scoring.domain.results import Results
from mgi_scoring.domain.state import ScoringState
from mgi_shared.mongo import Document


class ScoringRepository(Protocol):
    async def load(self, assessment_id: str, *, cached: bool = False) -> ScoringState:
        """The stored state, or an empty one at version 0 when nothing is stored yet.

        `cached`: the state as this process last wrote or read it may do, for a change whose
        save (a compare-and-set on the version) will tell if another writer moved it on."""

    async def save(
        self, state: ScoringState, expected_version: int, outbox: list[Document]
    ) -> bool:
        """Write `state` and append `outbox` in one single-document write, only if the stored
        version is still `expected_version`; False when another writer got there first."""

    async def load_results(self, assessment_id: str) -> Results | None:
        """The stored results alone (a previous round's, to compare with); None if none yet."""

    async def round_members(self, jurisdiction: str, round_number: int) -> list[str]:
        """Ids of the jurisdiction's assessments of that round, ordered."""

    async def all_ids(self) -> list[str]:
        """Every assessment with a catalogue, for a full rescore."""
