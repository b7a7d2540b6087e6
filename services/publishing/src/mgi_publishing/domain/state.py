"""Per-assessment state of publishing and the never-publish-unvalidated rule (no I/O).

Publishing keeps what the events told it: the assessment's status and metadata, the newest
results revision announced, and the revision whose publication last concluded. A revision
is pushed only while the assessment is validated or published.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from pydantic import BaseModel

from mgi_shared.contracts.payloads import AssessmentStatus, JurisdictionData

# Enough to drop repeats of recent events; older repeats are caught by the revision checks.
REMEMBERED_EVENTS = 64
ORDER = list(AssessmentStatus)
PUBLISHABLE = frozenset({AssessmentStatus.VALIDATED, AssessmentStatus.PUBLISHED})


class AssessmentInfo(BaseModel):
    jurisdiction: JurisdictionData
    scope: str
    round: int
    catalogue_version: str
    languages: list[str]


@dataclass(frozen=True)
class PublishingState:
    assessment_id: str
    version: int = 0  # compare-and-set guard: every write bumps it
    status: AssessmentStatus | None = None
    info: AssessmentInfo | None = None
    latest_revision: int = 0  # newest results revision announced by scoring
    concluded_revision: int | None = None  # newest revision whose publication ended
    published_revision: int | None = None  # newest revision that reached the portal
    seen_events: tuple[str, ...] = ()
    # The revision being published and its publication time, stored before the portal write,
    # so a repeat after a crash sends the same body under the same idempotency key.
    pending_revision: int | None = None
    pending_at: datetime | None = None

    @property
    def publishable(self) -> bool:
        return self.status in PUBLISHABLE and self.info is not None

    def seen(self, event_id: str) -> bool:
        return event_id in self.seen_events

    def remember(self, event_id: str | None) -> "PublishingState":
        if event_id is None:
            return self
        return replace(self, seen_events=(*self.seen_events, event_id)[-REMEMBERED_EVENTS:])

    def with_assessment(self, status: AssessmentStatus, info: AssessmentInfo) -> "PublishingState":
        """Statuses only move forward: a late or retried older event changes nothing."""
        if self.status is not None and ORDER.index(status) < ORDER.index(self.status):
            return self
        return replace(self, status=status, info=info)

    def with_revision(self, revision: int) -> "PublishingState":
        return replace(self, latest_revision=max(self.latest_revision, revision))

    def worth_storing(self, before: "PublishingState") -> bool:
        """Whether the change from `before` to this state must be written. While an assessment
        is not publishable, the newest revision number is all a results event changes, and
        nothing uses it: validation reads the current results from scoring whatever revision
        was announced. Not writing it saves a write per submission; a repeat of such an event
        is as harmless as the first."""
        return self.publishable or replace(self, latest_revision=before.latest_revision) != before

    def publication_due(self) -> bool:
        """Validated (or published) and a revision newer than the last one concluded, or none
        concluded yet: publish. Anything else (not validated) is never pushed."""
        if not self.publishable:
            return False
        return self.concluded_revision is None or self.latest_revision > self.concluded_revision

    def revision_due(self, revision: int) -> bool:
        """Whether results at `revision` (read from scoring) still need publishing."""
        return self.publishable and (
            self.concluded_revision is None or revision > self.concluded_revision
        )

    def prepared(self, revision: int, now: datetime) -> "PublishingState":
        if self.pending_revision == revision:
            return self
        # At the database's precision (milliseconds), so the stored time reads back the same
        # and the first write and a repeat send the same body.
        at = now.replace(microsecond=now.microsecond // 1000 * 1000)
        return replace(self, pending_revision=revision, pending_at=at)

    def publication_time(self, revision: int, now: datetime) -> datetime:
        if self.pending_revision == revision and self.pending_at is not None:
            return self.pending_at
        return now

    def concluded(self, revision: int, succeeded: bool) -> "PublishingState":
        return replace(
            self,
            concluded_revision=max(revision, self.concluded_revision or 0),
            latest_revision=max(self.latest_revision, revision),
            published_revision=(
                max(revision, self.published_revision or 0)
                if succeeded
                else self.published_revision
            ),
        )
