"""The Mongo repository on the real MongoDB-wire database: round trip, compare-and-set, bounded
documents, and documents stored in the older layout."""

from collections.abc import AsyncIterator
from datetime import timedelta
from uuid import uuid4

import bson
import pytest
from pymongo.asynchronous.collection import AsyncCollection

from mgi_scoring.adapters.answer_documents import submission_doc
from mgi_scoring.adapters.mongo_repository import MongoScoringRepository
from mgi_scoring.domain.answers import StoredSubmission
from mgi_scoring.domain.state import EVENT_WINDOW
from mgi_scoring.service_layer.handlers import read_results, record_assessment, record_submission
from mgi_scoring.testing import T0, accepted, changed
from mgi_shared.contracts.submission import AnswerValue
from mgi_shared.mongo import Document, make_mongo_client

pytestmark = pytest.mark.integration

CODES = ["r1", "r2", "r3", "g1", "g2"]
NO = AnswerValue.NO


@pytest.fixture
async def collection(infra) -> AsyncIterator[AsyncCollection[Document]]:  # type: ignore[no-untyped-def]
    """A collection of its own (and its rounds and migrations), dropped afterwards."""
    client = make_mongo_client(infra.mongodb_url)
    collection = client.get_database("mgi_test")[f"scoring_{uuid4().hex[:8]}"]
    try:
        yield collection
    finally:
        for suffix in ("_rounds", "_migrations"):
            await collection.database.drop_collection(f"{collection.name}{suffix}")
        await collection.drop()
        await client.close()


async def prepared(collection: AsyncCollection[Document]) -> MongoScoringRepository:
    repo = MongoScoringRepository(collection)
    await repo.prepare_storage()
    return repo


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


async def test_a_document_of_the_older_layout_loads_and_is_pruned_by_its_next_save(
    collection,
) -> None:  # type: ignore[no-untyped-def]
    repo = await prepared(collection)
    aid = f"IDN-{uuid4().hex[:8]}"
    await record_assessment(repo, aid, changed(aid))
    old = [
        StoredSubmission(f"old-{n}", "mofa", T0 + timedelta(minutes=n), dict.fromkeys(CODES, NO))
        for n in range(3)
    ]
    ids = sorted(str(uuid4()) for _ in range(200))
    # The layout before the answer book: every submission, every event id ever processed.
    await collection.update_one(
        {"_id": aid},
        {
            "$set": {"submissions": [submission_doc(s) for s in old], "event_ids": ids},
            "$unset": {"trails": "", "waiting": "", "submissions_applied": ""},
        },
    )
    state = await repo.load(aid)
    assert state.answers.applied == 3
    assert state.event_ids == tuple(ids[-EVENT_WINDOW:])
    await record_submission(repo, aid, accepted(aid, "moh", {"r2": "yes"}, submission_id="new"))
    document = await collection.find_one({"_id": aid})
    assert document is not None and "submissions" not in document
    assert [(g["actor"], [k["id"] for k in g["path"]]) for g in document["trails"]] == [
        ("mofa", ["old-2"]),
        ("moh", ["new"]),
    ]
    assert len(document["event_ids"]) == EVENT_WINDOW
    assert (await read_results(repo, aid)).submissions_applied == 4


async def test_seventeen_ministries_answering_six_times_keep_the_document_flat(collection) -> None:  # type: ignore[no-untyped-def]
    repo = await prepared(collection)
    aid = f"IDN-{uuid4().hex[:8]}"
    await record_assessment(repo, aid, changed(aid))
    sizes: list[int] = []
    for round_number in range(1, 7):
        for ministry in range(17):
            value = ["yes", "partial", "no"][(round_number + ministry) % 3]
            answers = dict.fromkeys(CODES, value)
            event = accepted(aid, f"ministry-{ministry:02d}", answers, minutes=round_number,
                             submission_id=str(uuid4()))  # fmt: skip
            await record_submission(repo, aid, event)
        # Without the outbox, which the relay empties once it has published.
        document = await collection.find_one({"_id": aid}, {"outbox": 0})
        sizes.append(len(bson.encode(document)))
    assert (await read_results(repo, aid)).submissions_applied == 102
    # The answers take what one round takes; only the window of event ids fills, then stops.
    # (Sizes also move by a few bytes as values and results change: "no" is shorter than "yes".)
    window = EVENT_WINDOW * len(bson.encode({"0": str(uuid4())}))
    assert sizes[5] - sizes[0] <= window, sizes
    assert max(sizes[3:]) - min(sizes[3:]) < sizes[0] // 100, sizes
