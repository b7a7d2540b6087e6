"""The never-publish-unvalidated rule and the crash between portal write and event, with
in-memory fakes (the same rules run against Kafka and the database in the integration tests)."""

from uuid import uuid4

import pytest

from mgi_publishing.service_layer.handlers import (
    Deps,
    NotPublishableError,
    on_assessment_changed,
    on_results_updated,
    resync,
)
from mgi_publishing.testing import (
    CrashError,
    FakeCatalogues,
    FakePortal,
    FakeRepository,
    FakeResults,
    changed,
    results,
    updated,
)
from mgi_shared.contracts.payloads import AssessmentStatus as S
from mgi_shared.outbox import entry_event

pytestmark = pytest.mark.unit


def deps() -> tuple[Deps, FakeRepository, FakeResults, FakePortal]:
    repo, source, portal = FakeRepository(), FakeResults(), FakePortal()
    return Deps(repo, source, FakeCatalogues(), portal), repo, source, portal


def events(repo: FakeRepository) -> list[dict]:  # type: ignore[type-arg]
    return [entry_event(entry) for entry in repo.outbox]


async def walk(d: Deps, aid: str, until: S) -> None:
    for status in list(S)[: list(S).index(until) + 1]:
        await on_assessment_changed(d, aid, changed(aid, status))


async def test_results_of_an_unvalidated_assessment_are_never_pushed() -> None:
    d, repo, source, portal = deps()
    aid = f"IDN-{uuid4().hex[:6]}"
    await walk(d, aid, S.CONSULTATION)
    for revision in (1, 2, 3):
        source.by_id[aid] = results(aid, revision)
        await on_results_updated(d, aid, updated(aid, revision))
    assert portal.puts == []
    assert events(repo) == []


async def test_results_of_an_unvalidated_assessment_cost_no_write() -> None:
    """Validation reads the current results from scoring, so until then a results event has
    nothing publishing needs to keep: the stored state does not move."""
    d, repo, source, portal = deps()
    aid = f"IDN-{uuid4().hex[:6]}"
    await walk(d, aid, S.CONSULTATION)
    before = await repo.load(aid)
    for revision in (1, 2):
        source.by_id[aid] = results(aid, revision)
        await on_results_updated(d, aid, updated(aid, revision))
    assert await repo.load(aid) == before
    await on_assessment_changed(d, aid, changed(aid, S.VALIDATED))
    assert [key for key, _ in portal.puts] == [f"{aid}:2"]


async def test_validated_while_results_still_arrive_publishes_each_new_revision() -> None:
    d, repo, source, portal = deps()
    aid = f"IDN-{uuid4().hex[:6]}"
    await walk(d, aid, S.CONSULTATION)
    source.by_id[aid] = results(aid, 1)
    await on_results_updated(d, aid, updated(aid, 1))
    # Scoring has applied revision 2 already, but its event is still on its way.
    source.by_id[aid] = results(aid, 2)
    await on_assessment_changed(d, aid, changed(aid, S.VALIDATED))
    assert [key for key, _ in portal.puts] == [f"{aid}:2"]
    await on_results_updated(d, aid, updated(aid, 2))  # late: revision 2 is out already
    source.by_id[aid] = results(aid, 3)
    await on_results_updated(d, aid, updated(aid, 3))
    assert [key for key, _ in portal.puts] == [f"{aid}:2", f"{aid}:3"]
    published = events(repo)
    assert [e["data"]["revision"] for e in published] == [2, 3]
    assert {e["event_type"] for e in published} == {"publication.succeeded"}
    # intake then marks it published: that event alone publishes nothing new.
    await on_assessment_changed(d, aid, changed(aid, S.PUBLISHED))
    assert len(portal.puts) == 2


async def test_validated_before_any_results_publishes_when_they_come() -> None:
    d, _repo, source, portal = deps()
    aid = f"IDN-{uuid4().hex[:6]}"
    await walk(d, aid, S.VALIDATED)
    assert portal.puts == []
    source.by_id[aid] = results(aid, 1)
    await on_results_updated(d, aid, updated(aid, 1))
    assert [key for key, _ in portal.puts] == [f"{aid}:1"]


async def test_a_repeated_event_publishes_nothing_twice() -> None:
    d, repo, source, portal = deps()
    aid = f"IDN-{uuid4().hex[:6]}"
    await walk(d, aid, S.CONSULTATION)
    source.by_id[aid] = results(aid, 1)
    validated = changed(aid, S.VALIDATED)
    await on_assessment_changed(d, aid, validated)
    await on_assessment_changed(d, aid, validated)
    await on_assessment_changed(d, aid, changed(aid, S.VALIDATED))  # same status, new event id
    assert len(portal.puts) == 1
    assert len(events(repo)) == 1


async def test_crash_between_portal_write_and_event_repeats_the_same_write() -> None:
    d, repo, source, portal = deps()
    aid = f"IDN-{uuid4().hex[:6]}"
    await walk(d, aid, S.CONSULTATION)
    source.by_id[aid] = results(aid, 4)
    validated = changed(aid, S.VALIDATED)
    portal.crash_after_next_write = True
    with pytest.raises(CrashError):
        await on_assessment_changed(d, aid, validated)
    assert events(repo) == []  # the write happened, its outcome was not recorded
    await on_assessment_changed(d, aid, validated)  # the record is delivered again
    (first_key, first), (second_key, second) = portal.puts
    assert first_key == second_key == f"{aid}:4"
    assert first == second  # the same body, publication time included
    [event] = events(repo)
    assert event["event_type"] == "publication.succeeded"
    assert event["data"]["revision"] == 4


async def test_status_never_steps_back_on_a_late_event() -> None:
    d, repo, source, _portal = deps()
    aid = f"IDN-{uuid4().hex[:6]}"
    source.by_id[aid] = results(aid, 1)
    await walk(d, aid, S.VALIDATED)
    await on_assessment_changed(d, aid, changed(aid, S.CONSULTATION))  # retried, late
    assert (await repo.load(aid)).status is S.VALIDATED


async def test_resync_republishes_and_refuses_unvalidated() -> None:
    d, repo, source, portal = deps()
    aid = f"IDN-{uuid4().hex[:6]}"
    source.by_id[aid] = results(aid, 1)
    await walk(d, aid, S.CONSULTATION)
    with pytest.raises(NotPublishableError):
        await resync(d, aid)
    await on_assessment_changed(d, aid, changed(aid, S.VALIDATED))
    outcome = await resync(d, aid)
    assert outcome.succeeded
    assert [key for key, _ in portal.puts] == [f"{aid}:1", f"{aid}:1"]
    assert portal.puts[0][1] == portal.puts[1][1]
    first, second = events(repo)
    assert first["data"]["publication_id"] != second["data"]["publication_id"]
