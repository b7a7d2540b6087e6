"""The Mongo repository on the real MongoDB-wire database: round trip, compare-and-set, bounded
documents, lookups by `_id`, and the one-off migrations of data stored by older versions."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from uuid import uuid4

import bson
import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

from mgi_scoring.adapters import mongo_repository as repository_module
from mgi_scoring.adapters.answer_documents import book_doc, book_from, submission_doc
from mgi_scoring.adapters.mongo_repository import (
    ROUNDS_BY_ID,
    ROUNDS_LISTED,
    MongoScoringRepository,
)
from mgi_scoring.adapters.packing import unpack
from mgi_scoring.domain.answers import StoredSubmission
from mgi_scoring.domain.state import EVENT_WINDOW
from mgi_scoring.service_layer.handlers import read_results, record_assessment, record_submission
from mgi_scoring.testing import T0, accepted, changed
from mgi_shared.contracts.payloads import AssessmentStatus
from mgi_shared.contracts.submission import AnswerValue
from mgi_shared.mongo import Document, make_mongo_client
from mgi_shared.testing.commands import Commands, unindexed_filters

pytestmark = pytest.mark.integration

CODES = ["r1", "r2", "r3", "g1", "g2"]
NO = AnswerValue.NO
CONSULTATION = AssessmentStatus.CONSULTATION


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


async def test_state_round_trip_and_compare_and_set(collection) -> None:  # type: ignore[no-untyped-def]
    repo = await prepared(collection)
    aid = f"IDN-{uuid4().hex[:8]}"
    await record_submission(repo, aid, accepted(aid, "mofa", {"r1": "yes"}, minutes=1))
    await record_assessment(repo, aid, changed(aid))
    state = await repo.load(aid)
    assert state.results is not None and state.results.revision == 1
    assert state.version == 2
    # A writer that read version 2 after another one saved must lose.
    assert await repo.save(state, state.version, [])
    assert not await repo.save(state, state.version, [])
    assert await repo.round_members("IDN", 1) == [aid]
    assert await repo.load_results(aid) == state.results
    document = await repo.collection.find_one({"_id": aid})
    assert document is not None and document["outbox_count"] == 1


async def test_a_round_is_one_document_found_by_its_id(collection) -> None:  # type: ignore[no-untyped-def]
    repo = await prepared(collection)
    aids = sorted(f"KEN-{uuid4().hex[:8]}" for _ in range(2))
    for aid in reversed(aids):
        await record_assessment(repo, aid, changed(aid, jurisdiction="KEN", round_number=2))
    # Another process saving one of them lists it again: still once.
    consultation = changed(aids[0], jurisdiction="KEN", round_number=2, status=CONSULTATION)
    await record_assessment(MongoScoringRepository(collection), aids[0], consultation)
    document = await repo.rounds.find_one({"_id": "KEN/2"})
    assert document is not None and sorted(document["assessments"]) == aids
    assert (document["jurisdiction"], document["round"]) == ("KEN", 2)
    assert await repo.round_members("KEN", 2) == aids
    assert await repo.round_members("KEN", 1) == []
    assert await repo.all_ids() == aids


async def test_another_replicas_new_round_member_shows_within_the_freshness_window(
    collection,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    """Who makes up a round is read at most every ROUNDS_FRESH_SECONDS: a member listed by
    another process shows once that time has passed, one listed here at once."""
    monkeypatch.setattr(repository_module, "ROUNDS_FRESH_SECONDS", 0.3)
    here, elsewhere = await prepared(collection), MongoScoringRepository(collection)
    first, second = (f"KEN-{uuid4().hex[:8]}" for _ in range(2))
    assert await here.round_members("KEN", 2) == []
    await record_assessment(elsewhere, first, changed(first, jurisdiction="KEN", round_number=2))
    assert await here.round_members("KEN", 2) == []  # read moments ago
    await record_assessment(here, second, changed(second, jurisdiction="KEN", round_number=2))
    assert await here.round_members("KEN", 2) == [second]  # its own listing, at once
    await asyncio.sleep(0.4)
    assert await here.round_members("KEN", 2) == sorted([first, second])


async def test_assessments_stored_before_any_rounds_list_are_listed_at_start(collection) -> None:  # type: ignore[no-untyped-def]
    repo = await prepared(collection)
    aid = f"KEN-{uuid4().hex[:8]}"
    await record_assessment(repo, aid, changed(aid, jurisdiction="KEN", round_number=2))
    # As in a database written by an older version: no rounds list, no record of listing it.
    await repo.rounds.drop()
    await repo.migrations.drop()

    restarted = await prepared(collection)
    assert await restarted.round_members("KEN", 2) == [aid]
    assert await restarted.round_members("KEN", 1) == []
    assert await restarted.all_ids() == [aid]
    for migration in (ROUNDS_LISTED, ROUNDS_BY_ID):
        assert await restarted.migrations.find_one({"_id": migration}) is not None


async def test_rows_of_the_older_rounds_layout_move_to_documents_per_round_once(collection) -> None:  # type: ignore[no-untyped-def]
    repo = MongoScoringRepository(collection)
    # As the previous version left it: one row per assessment, an index to find them by round.
    await repo.rounds.create_index([("jurisdiction", 1), ("round", 1)])
    rows = [{"_id": f"MEX-{n}", "jurisdiction": "MEX", "round": 1 + n % 2} for n in range(3)]
    await repo.rounds.insert_many(rows)
    await repo.migrations.insert_one({"_id": ROUNDS_LISTED, "done": True})

    await repo.prepare_storage()
    assert await repo.round_members("MEX", 1) == ["MEX-0", "MEX-2"]
    assert await repo.round_members("MEX", 2) == ["MEX-1"]
    assert sorted([d["_id"] async for d in repo.rounds.find({})]) == ["MEX/1", "MEX/2"]
    assert "jurisdiction_1_round_1" not in await repo.rounds.index_information()
    # Done once: a row written now (as by an older replica still running) is left alone.
    await repo.rounds.insert_one({"_id": "MEX-9", "jurisdiction": "MEX", "round": 1})
    await prepared(collection)
    assert await repo.rounds.find_one({"_id": "MEX-9"}) is not None


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
            "$unset": {"book_packed": "", "submissions_applied": ""},
        },
    )
    state = await repo.load(aid)
    assert state.answers.applied == 3
    assert state.event_ids == tuple(ids[-EVENT_WINDOW:])
    await record_submission(repo, aid, accepted(aid, "moh", {"r2": "yes"}, submission_id="new"))
    document = await collection.find_one({"_id": aid})
    assert document is not None and "submissions" not in document
    book = book_from(document)
    assert [(actor, [t.path[0][1] for t in trails.values()][:1]) for actor, trails in
            sorted(book.trails.items())] == [("mofa", ["old-2"]), ("moh", ["new"])]  # fmt: skip
    assert len(document["event_ids"]) == EVENT_WINDOW
    assert (await read_results(repo, aid)).submissions_applied == 4


async def test_a_book_stored_as_nested_fields_loads_and_is_packed_by_the_next_save(
    collection,
) -> None:  # type: ignore[no-untyped-def]
    repo = await prepared(collection)
    aid = f"IDN-{uuid4().hex[:8]}"
    await record_assessment(repo, aid, changed(aid))
    await record_submission(repo, aid, accepted(aid, "mofa", {"r1": "yes", "r2": "no"}))
    book = (await repo.load(aid)).answers
    # The layout before the book was packed: trails and waiting edits as nested documents.
    await collection.update_one(
        {"_id": aid}, {"$set": book_doc(book), "$unset": {"book_packed": ""}}
    )
    reader = await prepared(collection)  # another process: nothing remembered
    assert (await reader.load(aid)).answers == book
    await record_submission(reader, aid, accepted(aid, "moh", {"r1": "yes"}))
    document = await collection.find_one({"_id": aid})
    assert document is not None and not document.keys() & {"trails", "waiting"}
    assert set(book_from(document).trails) == {"mofa", "moh"}
    assert (await read_results(reader, aid)).submissions_applied == 2


async def test_results_and_catalogue_stored_plain_load_and_are_packed_by_the_next_save(
    collection,
) -> None:  # type: ignore[no-untyped-def]
    repo = await prepared(collection)
    aid = f"IDN-{uuid4().hex[:8]}"
    await record_assessment(repo, aid, changed(aid))
    await record_submission(repo, aid, accepted(aid, "mofa", {"r1": "yes"}, minutes=1))
    before = await repo.load(aid)
    assert before.results is not None and before.info is not None
    # The layout before packing: both as plain fields.
    await collection.update_one(
        {"_id": aid},
        {
            "$set": {
                "results": before.results.model_dump(mode="json"),
                "info.catalogue": before.info.catalogue.model_dump(mode="json"),
            },
            "$unset": {"results_packed": "", "info.catalogue_packed": ""},
        },
    )
    plain = await repo.load(aid)
    assert (plain.results, plain.info) == (before.results, before.info)
    await record_submission(repo, aid, accepted(aid, "moh", {"r2": "no"}, minutes=2))
    document = await collection.find_one({"_id": aid})
    assert document is not None and "results" not in document
    assert "catalogue" not in document["info"] and document["info"]["catalogue_packed"]
    after = await repo.load(aid)
    assert after.results is not None and after.results.revision == before.results.revision + 1


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
        assert document is not None
        # The book as it is before compression, whose ratio moves a little with every change.
        book = unpack(document.pop("book_packed"))
        sizes.append(len(bson.encode(document)) + len(book))
    assert (await read_results(repo, aid)).submissions_applied == 102
    # The answers take what one round takes; only the window of event ids fills, then stops.
    # (Sizes also move by a few bytes as values and results change: "no" is shorter than "yes".)
    window = EVENT_WINDOW * len(bson.encode({"0": str(uuid4())}))
    assert sizes[5] - sizes[0] <= window, sizes
    assert max(sizes[3:]) - min(sizes[3:]) < sizes[0] // 100, sizes


async def test_a_submission_reads_and_writes_by_id_only(infra) -> None:  # type: ignore[no-untyped-def]
    commands = Commands()
    client: AsyncMongoClient[Document] = AsyncMongoClient(
        infra.mongodb_url, tz_aware=True, event_listeners=[commands]
    )
    collection = client.get_database("mgi_test")[f"scoring_{uuid4().hex[:8]}"]
    try:
        repo = await prepared(collection)
        first, second = f"KEN-{uuid4().hex[:8]}", f"KEN-{uuid4().hex[:8]}"
        await record_assessment(repo, first, changed(first, jurisdiction="KEN"))
        await record_assessment(repo, second, changed(second, jurisdiction="KEN", round_number=2))
        await record_submission(repo, second, accepted(second, "mofa", {"r1": "no"}))

        commands.sent.clear()
        await record_submission(repo, second, accepted(second, "moh", {"r2": "yes"}))
        # The previous round's results and the save: its own state is as this process saved it
        # (the save's compare-and-set checks it is still current), and which assessments make
        # up rounds 1 and 3 was read moments ago, by the first submission.
        assert [(name, sorted(f)) for name, f in commands.filters()] == [
            ("find", ["_id"]),
            ("findAndModify", ["_id", "version"]),
        ]
        commands.sent.clear()
        # A new revision of round 1 refreshes round 2's comparison, from round 2's state as kept.
        await record_submission(repo, first, accepted(first, "mofa", {"r1": "yes"}))
        assert all(sorted(f)[0] == "_id" for _, f in commands.filters())
        assert [f["_id"] for name, f in commands.filters() if name == "find"].count(second) == 0
        # Each filter is served by a unique index (the local server needs the exact fields).
        assert await unindexed_filters(collection.database, commands) == []
    finally:
        for suffix in ("_rounds", "_migrations"):
            await collection.database.drop_collection(f"{collection.name}{suffix}")
        await collection.drop()
        await client.close()


async def test_the_state_kept_in_memory_is_the_state_as_stored(collection) -> None:  # type: ignore[no-untyped-def]
    """A change starts from the state this process last saved, without reading it: that state
    must be exactly what a reader of the document gets, or results would depend on which
    process handled a record. Saves write only the parts that changed."""
    repo = await prepared(collection)
    aid = f"IDN-{uuid4().hex[:8]}"
    await record_assessment(repo, aid, changed(aid))
    await record_submission(repo, aid, accepted(aid, "mofa", {"r1": "yes", "r2": "no"}))
    await record_submission(repo, aid, accepted(aid, "moh", {"r1": "no"}, minutes=2))
    await record_submission(repo, aid, accepted(aid, "mofa", {"r3": "partial"}, minutes=3))
    kept = await repo.load(aid, cached=True)
    as_stored = await MongoScoringRepository(collection).load(aid)
    assert kept == as_stored
    assert kept.results is not None and kept.results.revision == 4

    # Another process moves the document on: this one's kept state is stale, its save loses
    # the compare-and-set, and the change is made again on the state read afresh.
    other = MongoScoringRepository(collection)
    await record_submission(other, aid, accepted(aid, "mol", {"g1": "yes"}, minutes=4))
    await record_submission(repo, aid, accepted(aid, "moh", {"g2": "yes"}, minutes=5))
    final = await MongoScoringRepository(collection).load(aid)
    assert set(final.answers.trails) == {"mofa", "moh", "mol"}
    assert final == await repo.load(aid, cached=True)


async def test_a_save_sets_only_what_changed(infra) -> None:  # type: ignore[no-untyped-def]
    commands = Commands()
    client: AsyncMongoClient[Document] = AsyncMongoClient(
        infra.mongodb_url, tz_aware=True, event_listeners=[commands]
    )
    collection = client.get_database("mgi_test")[f"scoring_{uuid4().hex[:8]}"]
    try:
        repo = await prepared(collection)
        aid = f"IDN-{uuid4().hex[:8]}"
        await record_assessment(repo, aid, changed(aid))
        commands.sent.clear()
        await record_submission(repo, aid, accepted(aid, "mofa", {"r1": "yes"}))
        [save] = [body for name, body in commands.sent if name == "findAndModify"]
        written = set(save["update"]["$set"])
        # The catalogue and resolutions did not change: neither packed nor sent again.
        assert {"book_packed", "results_packed", "event_ids"} <= written
        assert not written & {"info", "resolutions"}
    finally:
        await collection.database.drop_collection(f"{collection.name}_rounds")
        await collection.drop()
        await client.close()
