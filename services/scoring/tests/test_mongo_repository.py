"""The Mongo repository on the real MongoDB-wire database: round trip and compare-and-set."""

from uuid import uuid4

import pytest

from mgi_scoring.adapters.mongo_repository import MongoScoringRepository
from mgi_scoring.service_layer.handlers import record_assessment, record_submission
from mgi_scoring.testing import accepted, changed
from mgi_shared.mongo import make_mongo_client

pytestmark = pytest.mark.integration


async def test_state_round_trip_and_compare_and_set(infra) -> None:  # type: ignore[no-untyped-def]
    client = make_mongo_client(infra.mongodb_url)
    try:
        collection = client.get_database("mgi_scoring")["assessments"]
        repo = MongoScoringRepository(collection)
        await repo.prepare_storage()
        aid = f"IDN-{uuid4().hex[:8]}"
        await record_submission(repo, aid, accepted(aid, "mofa", {"r1": "yes"}, minutes=1))
        await record_assessment(repo, aid, changed(aid))
        state = await repo.load(aid)
        assert state.results is not None and state.results.revision == 1
        assert state.version == 2
        # A writer that read version 2 after another one saved must lose.
        assert await repo.save(state, state.version, [])
        assert not await repo.save(state, state.version, [])
        assert [s.assessment_id for s in await repo.in_round("IDN", 1)].count(aid) == 1
        document = await repo.collection.find_one({"_id": aid})
        assert document is not None and document["outbox_count"] == 1
    finally:
        await client.close()


async def test_assessments_stored_before_the_rounds_list_are_listed_at_start(infra) -> None:  # type: ignore[no-untyped-def]
    client = make_mongo_client(infra.mongodb_url)
    collection = client.get_database("mgi_test")[f"scoring_{uuid4().hex[:8]}"]
    try:
        repo = MongoScoringRepository(collection)
        await repo.prepare_storage()
        aid = f"KEN-{uuid4().hex[:8]}"
        await record_assessment(repo, aid, changed(aid, jurisdiction="KEN", round_number=2))
        assert [s.assessment_id for s in await repo.in_round("KEN", 2)] == [aid]
        # As in a database written by an older version: no rounds list, no record of listing it.
        await repo.rounds.drop()
        await repo.migrations.drop()

        restarted = MongoScoringRepository(collection)
        await restarted.prepare_storage()
        assert [s.assessment_id for s in await restarted.in_round("KEN", 2)] == [aid]
        assert await restarted.in_round("KEN", 1) == []
        assert await restarted.all_ids() == [aid]
        assert await restarted.migrations.find_one({"_id": "rounds-listed"}) is not None
    finally:
        await collection.database.drop_collection(f"{collection.name}_rounds")
        await collection.database.drop_collection(f"{collection.name}_migrations")
        await collection.drop()
        await client.close()
