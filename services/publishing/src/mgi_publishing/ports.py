"""What the use cases need from the outside; adapters and test fakes both provide it."""

from typing import Any, Protocol

from mgi_publishing.domain.attempts import Attempt, PortalOutcome
from mgi_publishing.domain.state import PublishingState
from mgi_shared.catalogue.model import Catalogue
from mgi_shared.contracts.profile import Profile
from mgi_shared.mongo import Document


class PublishingRepository(Protocol):
    async def load(self, assessment_id: str) -> PublishingState: ...

    async def save(
        self,
        state: PublishingState,
        expected_version: int,
        attempts: list[Attempt],
        outbox: list[Document],
    ) -> bool:
        """One compare-and-set write of state, attempts and events; False if outdated."""

    async def attempts(
        self, assessment_id: str
    ) -> tuple[PublishingState, list[Attempt]] | None: ...

    async def published_ids(self) -> list[str]: ...


class ResultsSource(Protocol):
    async def latest(self, assessment_id: str) -> dict[str, Any] | None:
        """Scoring's current results; None when there are none yet."""


class Catalogues(Protocol):
    async def get(self, version: str) -> Catalogue | None: ...


class Portal(Protocol):
    target: str

    async def put(
        self, profile: Profile, catalogue: Catalogue | None, publication_id: str
    ) -> PortalOutcome:
        """Put the profile on the portal (retrying what may pass later); never raises for
        the portal's own refusals, which come back as a failed outcome."""
