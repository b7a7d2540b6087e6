"""The real scoring app over real sockets, against the real broker and database.

Runs the app with uvicorn in this process, publishes accepted/changed events to
the contract topics, and checks the results.updated events and the HTTP read.
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from uuid import uuid4

import httpx
import pytest
import typer
from aiokafka import AIOKafkaProducer
from pydantic import BaseModel
from typer.testing import CliRunner

from mgi_cli.commands_rescore import rescore
from mgi_scoring.main import create_app
from mgi_scoring.settings import ScoringSettings
from mgi_scoring.testing import accepted, changed
from mgi_shared.auth import ApiKeyRecord, Role, hash_key, new_key
from mgi_shared.contracts.envelope import EventEnvelope
from mgi_shared.contracts.topics import (
    API_KEYS,
    ASSESSMENTS_CHANGED,
    RESULTS_UPDATED,
    SUBMISSIONS_ACCEPTED,
    retry_topic,
)
from mgi_shared.key_signing import signed
from mgi_shared.net import free_port
from mgi_shared.testing.apps import serving
from mgi_shared.testing.kafka import (
    eventually,
    group_assignments,
    json_values,
    read_records,
    start_services_at_end,
)

pytestmark = pytest.mark.integration

ADMIN = f"admin-{uuid4().hex}"
SIGNING = f"signing-{uuid4().hex}"  # the services' shared secret for API key events


class Scoring:
    def __init__(self, infra: Any, replica_of: "Scoring | None" = None) -> None:
        self.infra = infra
        # A replica shares the first one's instance: its database and its consumer group.
        self.tag = replica_of.tag if replica_of else uuid4().hex[:10]
        self.positioned = replica_of is not None
        self.port = free_port()
        self.http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.port}", timeout=10)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        if not self.positioned:
            topics = [API_KEYS, ASSESSMENTS_CHANGED, SUBMISSIONS_ACCEPTED, retry_topic("scoring")]
            await start_services_at_end(self.infra.kafka, self.tag, ["scoring"], topics)
            self.positioned = True
        # Its own database and group: other sessions may share the test broker and even run
        # a scoring service of their own, which must not take this test's records.
        settings = ScoringSettings(
            mgi_instance=self.tag,
            kafka_bootstrap_servers=self.infra.kafka,
            mongodb_url=self.infra.mongodb_url,
            mgi_admin_token=ADMIN,
            mgi_key_signing_secret=SIGNING,
            scoring_port=self.port,
            mgi_retry_base_seconds=0.05,
            mgi_outbox_sweep_seconds=1.0,
        )
        async with serving(create_app(settings), self.port):
            yield

    async def results(self, assessment_id: str, key: str = ADMIN) -> httpx.Response:
        headers = {"Authorization": f"Bearer {key}"}
        return await self.http.get(f"/v1/assessments/{assessment_id}/results", headers=headers)


@pytest.fixture
async def producer(infra) -> AsyncIterator[AIOKafkaProducer]:  # type: ignore[no-untyped-def]
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka, acks="all")
    await producer.start()
    yield producer
    await producer.stop()


async def publish(producer: AIOKafkaProducer, topic: str, key: str, event: BaseModel) -> None:
    value = event.model_dump_json().encode()
    await producer.send_and_wait(topic, value, key=key.encode())


async def updates(infra: Any, aid: str, until: Callable[[list[dict[str, Any]]], bool]) -> list:  # type: ignore[type-arg]
    def mine(records: list) -> list[dict[str, Any]]:  # type: ignore[type-arg]
        return [v for v in json_values(records) if v.get("assessment_id") == aid]

    return mine(await read_records(infra.kafka, RESULTS_UPDATED, lambda r: until(mine(r)), 60))


def revisions(events: list[dict[str, Any]]) -> list[int]:
    return [e["data"]["revision"] for e in events]


async def test_results_flow_and_scoped_reads(infra, producer) -> None:  # type: ignore[no-untyped-def]
    aid = f"IDN-{uuid4().hex[:8]}"
    scoring = Scoring(infra)
    key_id, reviewer_key = new_key()
    unsigned = ApiKeyRecord(key_id=key_id, key_hash=hash_key(reviewer_key), role=Role.REVIEWER,
                            jurisdictions=["IDN"])  # fmt: skip
    record = signed(unsigned, SIGNING.encode())
    async with scoring.running():
        await publish(producer, API_KEYS, key_id,
                      EventEnvelope[ApiKeyRecord](event_type="apikey.created", data=record))  # fmt: skip
        # The submission comes before its assessment: it waits for the catalogue.
        await publish(producer, SUBMISSIONS_ACCEPTED, aid,
                      accepted(aid, "mofa", {"r1": "yes", "r2": "no"}, minutes=1))  # fmt: skip
        await publish(producer, ASSESSMENTS_CHANGED, aid, changed(aid))
        await publish(producer, SUBMISSIONS_ACCEPTED, aid,
                      accepted(aid, "moh", {"r1": "no"}, minutes=2))  # fmt: skip
        # The topics are consumed side by side: whether the first submission gets a revision of
        # its own before the second arrives depends on timing, so wait for the conflict alone.
        events = await updates(infra, aid, _conflicted)
        last = revisions(events)[-1]
        assert revisions(events) == list(range(1, last + 1))
        assert {e["jurisdiction"] for e in events} == {"IDN"}

        response = await scoring.results(aid)
        assert response.status_code == 200
        body = response.json()
        assert (body["revision"], body["completeness"]) == (last, 0.4)
        assert body["indicators"][0]["status"] == "conflict"
        assert body["domains"][0] == {"domain": "rights", "score": 0.0, "answered": 2, "total": 3,
                                      "well_developed": [], "needs_development": ["access"]}  # fmt: skip

        reviewer = await eventually(lambda: _status_is(scoring, aid, reviewer_key, 200))
        assert reviewer
        path = f"/v1/assessments/{aid}/indicators/r1/resolution"
        as_reviewer = {"Authorization": f"Bearer {reviewer_key}"}
        bad = await scoring.http.post(path, json={"value": "maybe"}, headers=as_reviewer)
        assert bad.status_code == 422
        assert [problem["field"] for problem in bad.json()["detail"]] == ["value"]
        resolved = await scoring.http.post(path, json={"value": "partial", "note": "FGD"},
                                           headers=as_reviewer)  # fmt: skip
        assert resolved.status_code == 200, resolved.text
        assert resolved.json()["indicator"]["score"] == 0.5
        assert resolved.json()["indicator"]["note"] == "FGD"  # shown on the published profile
        events = await updates(infra, aid, lambda e: last + 1 in revisions(e))
        assert events[-1]["data"]["open_conflicts"] == []
        assert revisions(events) == list(range(1, last + 2))
        assert (await scoring.results(aid, "wrong")).status_code == 401
        await _rescore_through_the_cli(scoring, aid, reviewer_key)


async def _rescore_through_the_cli(scoring: Scoring, aid: str, reviewer_key: str) -> None:
    """`mgi rescore` reaches the admin route; results are current, so nothing changes."""
    forbidden = await scoring.http.post("/v1/rescore", json={"all": True},
                                        headers={"Authorization": f"Bearer {reviewer_key}"})  # fmt: skip
    assert forbidden.status_code == 403
    env = {"SCORING_PORT": str(scoring.port), "MGI_ADMIN_TOKEN": ADMIN}
    app = typer.Typer()
    app.command()(rescore)
    # The CLI is synchronous and this test's loop serves the app: run it in a thread.
    outcome = await asyncio.to_thread(CliRunner().invoke, app, ["--assessment", aid], env=env)
    assert outcome.exit_code == 0, outcome.output
    assert "1 assessment(s); 0 changed" in outcome.output
    missing = await asyncio.to_thread(CliRunner().invoke, app, ["--assessment", "nope"], env=env)
    assert missing.exit_code == 1


def _conflicted(events: list[dict[str, Any]]) -> bool:
    return bool(events) and events[-1]["data"]["open_conflicts"] == ["r1"]


async def _status_is(scoring: Scoring, aid: str, key: str, status: int) -> bool:
    return (await scoring.results(aid, key)).status_code == status


async def test_restart_mid_stream_loses_and_doubles_nothing(infra, producer) -> None:  # type: ignore[no-untyped-def]
    aid = f"KEN-{uuid4().hex[:8]}"
    scoring = Scoring(infra)
    first = accepted(aid, "mofa", {"r1": "yes"}, minutes=1)
    async with scoring.running():
        await publish(producer, ASSESSMENTS_CHANGED, aid, changed(aid, jurisdiction="KEN"))
        await publish(producer, SUBMISSIONS_ACCEPTED, aid, first)
        before = await updates(infra, aid, lambda e: _completeness(e) == 0.2)
    # While the service is down: a new answer, and a redelivery of the first event.
    later = accepted(aid, "mofa", {"g1": "no"}, minutes=2)
    await publish(producer, SUBMISSIONS_ACCEPTED, aid, later)
    await publish(producer, SUBMISSIONS_ACCEPTED, aid, first)
    async with scoring.running():
        # A marker after the duplicate (same partition): once it shows, all before it is handled.
        marker = accepted(aid, "moh", {"g2": "yes"}, minutes=3)
        await publish(producer, SUBMISSIONS_ACCEPTED, aid, marker)
        events = await updates(infra, aid, lambda e: _completeness(e) == 0.6)
        body = (await scoring.results(aid)).json()
    # The relay is at least once: a repeat carries the same event id and is dropped by it.
    unique = list({e["event_id"]: e for e in events}.values())
    last = revisions(before)[-1]
    assert revisions(unique) == list(range(1, last + 3))  # two more answers, two revisions
    assert (body["revision"], body["completeness"]) == (last + 2, 0.6)
    assert body["domains"][1]["score"] == 0.5
    assert body["indicators"][0]["contributors"] == ["mofa"]


def _completeness(events: list[dict[str, Any]]) -> float | None:
    return events[-1]["data"]["completeness"] if events else None


async def test_replicas_split_the_partitions_and_a_survivor_takes_over(infra, producer) -> None:  # type: ignore[no-untyped-def]
    first = Scoring(infra)
    second = Scoring(infra, replica_of=first)
    group = f"mgi-{first.tag}-scoring"
    aids = [f"MEX-{uuid4().hex[:8]}" for _ in range(6)]
    before: dict[str, int] = {}
    async with first.running():
        async with second.running():
            split = await eventually(lambda: _both_hold_submissions(infra.kafka, group), 60)
            assert len(split) == 2
            for aid in aids:
                await publish(producer, ASSESSMENTS_CHANGED, aid, changed(aid, jurisdiction="MEX"))
                await publish(producer, SUBMISSIONS_ACCEPTED, aid,
                              accepted(aid, "mofa", {"r1": "yes"}, minutes=1))  # fmt: skip
            for aid in aids:
                events = await updates(infra, aid, lambda e: _completeness(e) == 0.2)
                before[aid] = revisions(events)[-1]
        # The second replica has left: the first takes over all of its partitions.
        for aid in aids:
            await publish(producer, SUBMISSIONS_ACCEPTED, aid,
                          accepted(aid, "moh", {"g1": "no"}, minutes=2))  # fmt: skip
        for aid in aids:
            events = await updates(infra, aid, lambda e: _completeness(e) == 0.4)
            unique = list({e["event_id"]: e for e in events}.values())
            assert revisions(unique) == list(range(1, before[aid] + 2)), aid
            body = (await first.results(aid)).json()
            assert (body["revision"], body["completeness"]) == (before[aid] + 1, 0.4)
        # The broker may still be settling the group (it reports no members while it rebalances).
        members = await eventually(lambda: group_assignments(infra.kafka, group), 30)
        [alone] = members.values()
        assert {tp.partition for tp in alone if tp.topic == SUBMISSIONS_ACCEPTED} == set(range(6))


async def _both_hold_submissions(bootstrap: str, group: str) -> list[set[int]]:
    members = await group_assignments(bootstrap, group)
    held = [
        {tp.partition for tp in tps if tp.topic == SUBMISSIONS_ACCEPTED} for tps in members.values()
    ]
    return held if len(held) == 2 and all(held) else []


async def test_a_backlog_of_one_assessment_is_stored_together_with_an_event_per_submission(
    infra,  # type: ignore[no-untyped-def]
    producer,
    caplog,
) -> None:
    """Submissions waiting for one assessment are read in one batch and applied together (one
    save), yet each still gets its revision, its results.updated event naming it, and its own
    trace (the test's records carry none, so each handling starts one)."""
    aid = f"MEX-{uuid4().hex[:8]}"
    scoring = Scoring(infra)
    async with scoring.running():
        await publish(producer, ASSESSMENTS_CHANGED, aid, changed(aid, jurisdiction="MEX"))
        await updates(infra, aid, lambda e: len(e) >= 1)
    # One indicator each, so every submission changes the results.
    backlog = [accepted(aid, f"actor-{code}", {code: "yes"}, minutes=minute)
               for minute, code in enumerate(["r1", "r2", "r3", "g1", "g2"], 1)]  # fmt: skip
    for event in backlog:
        await publish(producer, SUBMISSIONS_ACCEPTED, aid, event)
    caplog.set_level(logging.INFO, logger="mgi_shared.kafka.reliable")
    async with scoring.running():
        records = await read_records(infra.kafka, RESULTS_UPDATED,
                                     lambda r: len(_of(r, aid)) >= 6, 60)  # fmt: skip
    mine = _of(records, aid)
    values = json_values(mine)
    assert revisions(values) == [1, 2, 3, 4, 5, 6]
    assert [v["data"]["triggered_by"] for v in values[1:]] == [str(e.event_id) for e in backlog]
    assert values[-1]["data"]["completeness"] == 1.0
    together = [
        getattr(r, "together", 1) for r in caplog.records if r.getMessage() == "record handled"
    ]
    assert max(together) >= 2, together
    traces = {dict(r.headers)["traceparent"].split(b"-")[1] for r in mine[1:]}
    assert len(traces) == 5


def _of(records: list, aid: str) -> list:  # type: ignore[type-arg]
    return [r for r in records if r.key == aid.encode()]
