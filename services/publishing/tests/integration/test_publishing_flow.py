"""The real publishing app over real sockets, Kafka and database: the static portal, the
never-publish-unvalidated rule, the publication events and who may read the attempts."""

import json
from typing import Any
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer
from pydantic import BaseModel

from mgi_publishing.testing import changed, results, updated
from mgi_shared.auth import Role
from mgi_shared.contracts.payloads import AssessmentStatus as S
from mgi_shared.contracts.topics import ASSESSMENTS_CHANGED, PUBLICATIONS, RESULTS_UPDATED
from mgi_shared.testing.kafka import eventually, json_values, read_records
from mgi_shared.testing.metrics import records_handled

pytestmark = pytest.mark.integration


async def send(producer: AIOKafkaProducer, topic: str, key: str, event: BaseModel,
               headers: list[tuple[str, bytes]] | None = None) -> None:  # fmt: skip
    await producer.send_and_wait(topic, event.model_dump_json().encode(), key=key.encode(),
                                 headers=headers or [])  # fmt: skip


async def publications(infra: Any, aid: str, count: int) -> list[dict[str, Any]]:
    def mine(records: list) -> list[dict[str, Any]]:  # type: ignore[type-arg]
        return [v for v in json_values(records) if v.get("assessment_id") == aid]

    return mine(await read_records(infra.kafka, PUBLICATIONS, lambda r: len(mine(r)) >= count))


async def walk(producer: AIOKafkaProducer, aid: str, until: S, **jurisdiction: Any) -> None:
    for status in list(S)[: list(S).index(until) + 1]:
        await send(producer, ASSESSMENTS_CHANGED, aid, changed(aid, status, **jurisdiction))


async def test_validated_while_results_arrive_static_portal(publishing, producer, infra) -> None:  # type: ignore[no-untyped-def]
    aid, never = f"IDN-{uuid4().hex[:8]}", f"IDN-{uuid4().hex[:8]}"
    async with publishing.running():
        reviewer = await publishing.key(producer, Role.REVIEWER, "IDN")
        outsider = await publishing.key(producer, Role.REVIEWER, "KEN")
        submitter = await publishing.key(producer, Role.SUBMITTER, "IDN")
        handled_before = await _results_handled(publishing, 0)
        # `never` stays in consultation while its results keep changing.
        await walk(producer, never, S.CONSULTATION)
        for revision in (1, 2):
            publishing.results[never] = results(never, revision)
            await send(producer, RESULTS_UPDATED, never, updated(never, revision))
        # `aid`: results arrive before, while and after it is validated.
        await walk(producer, aid, S.CONSULTATION)
        publishing.results[aid] = results(aid, 1)
        await send(producer, RESULTS_UPDATED, aid, updated(aid, 1))
        publishing.results[aid] = results(aid, 2)  # applied by scoring, event not yet sent
        await send(producer, ASSESSMENTS_CHANGED, aid, changed(aid, S.VALIDATED))
        folder = publishing.data_dir / "portal" / "IDN" / aid
        await eventually(lambda: _revision_on_disk(folder) == 2, timeout=60)
        await send(producer, RESULTS_UPDATED, aid, updated(aid, 2))
        publishing.results[aid] = results(aid, 3)
        await send(producer, RESULTS_UPDATED, aid, updated(aid, 3))
        await eventually(lambda: _revision_on_disk(folder) == 3, timeout=60)

        events = await publications(infra, aid, 2)
        assert [e["data"]["revision"] for e in events] == [2, 3]
        assert {e["event_type"] for e in events} == {"publication.succeeded"}
        assert events[0]["data"]["target"] == "static"
        assert events[0]["data"]["location"].endswith(f"IDN/{aid}/index.html")
        assert (publishing.data_dir / "portal" / "index.html").read_text().count(aid) >= 1

        # The unvalidated assessment: both revisions were handled (with aid's three), nothing
        # was pushed.
        await eventually(lambda: _results_handled(publishing, handled_before + 5), timeout=60)
        state = await publishing.state(never)
        assert state["status"] == "consultation" and state["published_revision"] is None
        assert not (publishing.data_dir / "portal" / "IDN" / never).exists()

        path = f"/v1/publications?assessment_id={aid}"
        assert (await publishing.http.get(path)).status_code == 401
        assert (await publishing.http.get(path, headers=outsider)).status_code == 403
        assert (await publishing.http.get(path, headers=submitter)).status_code == 403
        answer = await publishing.http.get(path, headers=reviewer)
        assert answer.status_code == 200, answer.text
        attempts = answer.json()
        assert [(a["revision"], a["status"]) for a in attempts] == [
            (2, "succeeded"),
            (3, "succeeded"),
        ]
        quiet = await publishing.http.get(
            f"/v1/publications?assessment_id={never}", headers=reviewer
        )
        assert quiet.json() == []


def _revision_on_disk(folder: Any) -> int | None:
    try:
        return int(json.loads((folder / "profile.json").read_text())["revision"])
    except (OSError, ValueError, KeyError):
        return None


async def _results_handled(publishing: Any, at_least: int) -> int | None:
    """Results records this process has handled so far, once `at_least`."""
    handled = records_handled((await publishing.http.get("/metrics")).text, RESULTS_UPDATED)
    return handled if handled >= at_least else None
