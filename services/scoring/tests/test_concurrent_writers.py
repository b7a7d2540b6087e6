"""Two scoring replicas writing one assessment at the same moment, on the real database.

Each replica has its own database client (its own sockets), as two processes would. Without
in-process locks, only the database's atomic compare-and-set keeps one replica's write from
overwriting the other's: these tests fail on a server that applies updates as read-then-write.
"""

import asyncio
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from mgi_scoring.adapters.mongo_repository import MongoScoringRepository
from mgi_scoring.domain.state import ScoringState
from mgi_scoring.service_layer.handlers import (
    read_results,
    record_assessment,
    record_submission,
    resolve_indicator,
)
from mgi_scoring.testing import accepted, changed
from mgi_shared.contracts.submission import AnswerValue
from mgi_shared.mongo import Document, make_mongo_client

pytestmark = pytest.mark.integration

SUBMISSIONS = 30
RESOLUTIONS = 30
RESOLVED_VALUES = (AnswerValue.YES, AnswerValue.PARTIAL, AnswerValue.NO)


class CountingRepository(MongoScoringRepository):
    """Counts the compare-and-sets it lost, to show the race really happened."""

    lost = 0

    async def save(
        self, state: ScoringState, expected_version: int, outbox: list[Document]
    ) -> bool:
        saved = await super().save(state, expected_version, outbox)
        if not saved:
            CountingRepository.lost += 1
        return saved


async def test_compare_and_set_increments_from_two_clients_are_never_lost(infra) -> None:  # type: ignore[no-untyped-def]
    clients = [make_mongo_client(infra.mongodb_url) for _ in range(2)]
    collections = [c.get_database("mgi_test")["compare_and_set"] for c in clients]
    document_id = uuid4().hex
    await collections[0].insert_one({"_id": document_id, "version": 0})

    async def increment(times: int, collection) -> int:  # type: ignore[no-untyped-def]
        retries = 0
        for _ in range(times):
            while True:
                current = await collection.find_one({"_id": document_id})
                result = await collection.update_one(
                    {"_id": document_id, "version": current["version"]},
                    {"$inc": {"version": 1}},
                )
                if result.modified_count == 1:
                    break
                retries += 1
        return retries

    try:
        retries = await asyncio.gather(*(increment(100, c) for c in collections))
        stored = await collections[0].find_one({"_id": document_id})
        assert stored is not None and stored["version"] == 200
        assert sum(retries) > 0, "the two writers never raced: the test proved nothing"
    finally:
        for client in clients:
            await client.close()


async def test_a_resolution_on_one_replica_and_submissions_on_another_lose_nothing(infra) -> None:  # type: ignore[no-untyped-def]
    clients = [make_mongo_client(infra.mongodb_url) for _ in range(2)]
    database = f"mgi_test_{uuid4().hex[:8]}"
    consumer_replica, http_replica = (
        CountingRepository(client.get_database(database)["assessments"]) for client in clients
    )
    await consumer_replica.prepare_storage()
    aid = f"IDN-{uuid4().hex[:8]}"
    await record_assessment(consumer_replica, aid, changed(aid))
    # Two ministries disagree on r1: the conflict a reviewer resolves.
    await record_submission(consumer_replica, aid, accepted(aid, "mofa", {"r1": "yes"}))
    await record_submission(consumer_replica, aid, accepted(aid, "moh", {"r1": "no"}))
    CountingRepository.lost = 0

    async def submissions() -> set[str]:
        ids = set()
        for minute in range(SUBMISSIONS):
            # Other indicators only: a newer answer to r1 would (rightly) undo the resolution.
            event = accepted(aid, f"actor{minute % 5}", {"g1": "yes", "r2": "no"}, minutes=minute)
            await record_submission(consumer_replica, aid, event)
            ids.add(event.data.submission_id)
        return ids

    async def resolutions() -> AnswerValue:
        value = RESOLVED_VALUES[0]
        for turn in range(RESOLUTIONS):
            value = RESOLVED_VALUES[turn % len(RESOLVED_VALUES)]
            now = datetime.now(UTC)
            await resolve_indicator(http_replica, aid, "r1", value, f"turn {turn}", "rev", now)
        return value

    try:
        sent, last_value = await asyncio.gather(submissions(), resolutions())
        view = await read_results(consumer_replica, aid)
        assert view.submissions_applied == len(sent) + 2
        r1 = view.results.indicator("r1")
        assert r1 is not None and r1.resolved and r1.value == last_value
        state = await http_replica.load(aid)
        assert state.resolutions["r1"].note == f"turn {RESOLUTIONS - 1}"
        assert CountingRepository.lost > 0, "the replicas never raced: the test proved nothing"
    finally:
        await clients[0].drop_database(database)
        for client in clients:
            await client.close()
