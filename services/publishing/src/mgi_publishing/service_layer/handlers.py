"""Use cases: record what an event says, and publish when the rule allows it.

Only a validated (or published) assessment is ever pushed. The portal is written before
its outcome is recorded: a crash in between leaves the event unrecorded, so it is handled
again and the portal gets the same body under the same idempotency key; nothing is lost,
and the publication event is emitted once, with the state, in one write (the outbox).
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace

from mgi_publishing.adapters.scoring_results import ResultsUnavailableError
from mgi_publishing.domain.attempts import PortalOutcome
from mgi_publishing.domain.profile import build_profile, page_languages
from mgi_publishing.domain.state import AssessmentInfo, PublishingState
from mgi_publishing.metrics import PORTAL_ATTEMPTS, PUBLICATIONS
from mgi_publishing.ports import Catalogues, Portal, PublishingRepository, ResultsSource
from mgi_publishing.service_layer.events import publication_entry, publication_id
from mgi_shared.contracts.payloads import AssessmentChanged, ResultsUpdated

tracer = trace.get_tracer(__name__)

# Compare-and-set rounds before giving up (the record is then retried later).
MAX_CONTENTION = 20


class ContentionError(Exception):
    """Other writers kept changing the assessment's document."""


class NotPublishableError(Exception):
    """A resync of an assessment that is not validated or has no results."""


@dataclass
class Deps:
    repo: PublishingRepository
    results: ResultsSource
    catalogues: Catalogues
    portal: Portal
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)


Change = Callable[[PublishingState], PublishingState]


async def on_assessment_changed(deps: Deps, assessment_id: str, event: AssessmentChanged) -> None:
    data = event.data
    info = AssessmentInfo(
        jurisdiction=data.jurisdiction,
        scope=data.scope,
        round=data.round,
        catalogue_version=data.catalogue_version,
        languages=data.languages,
    )
    await _handle(deps, assessment_id, str(event.event_id),
                  lambda state: state.with_assessment(data.status, info))  # fmt: skip


async def on_results_updated(deps: Deps, assessment_id: str, event: ResultsUpdated) -> None:
    revision = event.data.revision
    await _handle(deps, assessment_id, str(event.event_id),
                  lambda state: state.with_revision(revision))  # fmt: skip


async def resync(deps: Deps, assessment_id: str) -> PortalOutcome:
    """Publish the current results again (the portal lost them), whatever was sent before."""
    outcome = await _handle(deps, assessment_id, None, lambda state: state, resync=True)
    if outcome is None:
        raise NotPublishableError(f"{assessment_id} is not validated or has no results yet")
    return outcome


async def _handle(
    deps: Deps, assessment_id: str, event_id: str | None, change: Change, *, resync: bool = False
) -> PortalOutcome | None:
    for _ in range(MAX_CONTENTION):
        stored = await deps.repo.load(assessment_id)
        if event_id is not None and stored.seen(event_id):
            return None  # a repeat: already handled
        state = change(stored)
        if not (state.publication_due() or (resync and state.publishable)):
            if not state.worth_storing(stored):
                return None
            if await deps.repo.save(state.remember(event_id), stored.version, [], []):
                return None
            continue
        results = await deps.results.latest(assessment_id)
        revision = int(results["revision"]) if results else None
        if revision is not None and revision < state.latest_revision:
            # A scoring replica behind the event we hold: ask again later.
            raise ResultsUnavailableError(f"scoring has revision {revision}, expected "
                                          f"{state.latest_revision} or later")  # fmt: skip
        if results is None or revision is None or not (resync or state.revision_due(revision)):
            # Nothing to publish yet (no results), or this revision is done already.
            if await deps.repo.save(state.remember(event_id), stored.version, [], []):
                return None
            continue
        prepared = state.prepared(revision, deps.clock())
        if prepared is not state:
            # Stored before the portal write: a repeat sends the same body.
            if not await deps.repo.save(prepared, stored.version, [], []):
                continue
            prepared = _next_version(prepared, stored.version)
        outcome = await _write(deps, prepared, results, revision, event_id, resync)
        if outcome is not None:
            return outcome
    raise ContentionError(f"{assessment_id}: too many concurrent changes")


async def _write(
    deps: Deps,
    state: PublishingState,
    results: dict[str, Any],
    revision: int,
    event_id: str | None,
    resync: bool,
) -> PortalOutcome | None:
    """Write the portal, then record the outcome and its event; None if the record lost a
    compare-and-set (the caller starts over from a fresh read)."""
    info = state.info
    assert info is not None  # publishable
    catalogue = await deps.catalogues.get(info.catalogue_version)
    languages = page_languages(info.languages, catalogue.languages if catalogue else ["en"])
    published_at = state.publication_time(revision, deps.clock())
    profile = build_profile(results, info, languages, published_at)
    publication = publication_id(state.assessment_id, revision, deps.portal.target, resync)
    with tracer.start_as_current_span("portal write") as span:
        span.set_attributes({"mgi.assessment_id": state.assessment_id, "mgi.revision": revision,
                             "mgi.portal.target": deps.portal.target})  # fmt: skip
        outcome = await deps.portal.put(profile, catalogue, publication)
        span.set_attributes({"mgi.portal.succeeded": outcome.succeeded,
                             "mgi.portal.attempts": len(outcome.attempts)})  # fmt: skip
    concluded = state.concluded(revision, outcome.succeeded).remember(event_id)
    entry = publication_entry(profile, outcome, publication)
    if await deps.repo.save(concluded, state.version, outcome.attempts, [entry]):
        PUBLICATIONS.labels(outcome.target, "succeeded" if outcome.succeeded else "failed").inc()
        for attempt in outcome.attempts:
            PORTAL_ATTEMPTS.labels(outcome.target, attempt.status.value).inc()
        return outcome
    return None


def _next_version(state: PublishingState, written_over: int) -> PublishingState:
    return replace(state, version=written_over + 1)
