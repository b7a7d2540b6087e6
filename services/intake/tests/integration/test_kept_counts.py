"""GET /v1/assessments/{id} reads counts kept by the writes, never recounted from submissions."""

import asyncio
import json
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from pymongo import AsyncMongoClient

from mgi_intake.adapters.catalogues import CatalogueStore
from mgi_intake.adapters.storage import prepare_storage
from mgi_intake.service_layer.assessments import view_assessment
from mgi_intake.service_layer.deps import make_deps
from mgi_intake.service_layer.incoming import from_json_body
from mgi_intake.service_layer.submissions import accept_submission
from mgi_shared.catalogue.loader import builtin_catalogues
from mgi_shared.mongo import Document, make_mongo_client
from mgi_shared.testing.commands import Commands, unindexed_filters

pytestmark = pytest.mark.integration


async def counts(intake: Any, assessment_id: str) -> dict[str, int]:
    read = await intake.http.get(f"/v1/assessments/{assessment_id}", headers=intake.as_admin())
    assert read.status_code == 200, read.text
    result: dict[str, int] = read.json()["counts"]
    return result


async def test_counts_follow_submissions_and_actors_and_repeats_count_once(intake: Any) -> None:
    actors = {
        "idn-mofa": ["RGT-1.01", "RGT-1.02"],
        "idn-moh": ["RGT-1.01"],
        "idn-bps": ["RGT-1.02"],
    }
    assessment_id = await intake.assessment("IDN", actors=actors)
    assert await counts(intake, assessment_id) == {
        "submissions": 0,
        "actors": 3,
        "actors_reporting": 0,
    }
    # Putting a mapped actor again changes its indicators, not the number of actors.
    again = {"name": "MoH", "cluster": "rights", "indicators": ["RGT-1.02"]}
    put = await intake.http.put(f"/v1/assessments/{assessment_id}/actors/idn-moh", json=again,
                                headers=intake.as_admin())  # fmt: skip
    assert put.status_code == 200, put.text
    bodies = [intake.submission_body(assessment_id, submitted_at=f"2023-05-1{day}T09:30:00Z")
              for day in range(3)]  # fmt: skip
    bodies.append(intake.submission_body(assessment_id, actor_id="idn-moh", answers=[
        {"indicator": "RGT-1.02", "value": "no"}]))  # fmt: skip
    # Every body four times at once: stored and counted once each.
    posts = [
        intake.http.post("/v1/submissions", json=body, headers=intake.as_admin())
        for body in bodies
        for _ in range(4)
    ]
    answers = await asyncio.gather(*posts)
    assert sorted(a.status_code for a in answers) == [200] * 12 + [202] * 4
    assert await counts(intake, assessment_id) == {
        "submissions": 4,
        "actors": 3,
        "actors_reporting": 2,
    }


async def test_a_submission_stored_but_not_counted_is_counted_when_its_sender_retries(
    intake: Any,
) -> None:
    assessment_id = await intake.assessment("IDN")
    body = intake.submission_body(assessment_id)
    first = await intake.http.post("/v1/submissions", json=body, headers=intake.as_admin())
    assert first.status_code == 202, first.text
    # What a crash between storing and counting leaves behind.
    sid = body["submission_id"]
    await intake.db.submissions.update_one({"_id": sid}, {"$set": {"counted": False}})
    await intake.db.assessments.update_one(
        {"_id": assessment_id},
        {"$set": {"counts.submissions": 0, "counts.reporting": []}},
    )
    assert (await counts(intake, assessment_id))["submissions"] == 0
    retry = await intake.http.post("/v1/submissions", json=body, headers=intake.as_admin())
    assert retry.status_code == 200, retry.text
    assert await counts(intake, assessment_id) == {
        "submissions": 1,
        "actors": 1,
        "actors_reporting": 1,
    }
    stored = await intake.db.submissions.find_one({"_id": sid})
    assert stored is not None and stored["counted"] is True


async def test_assessments_stored_before_counts_were_kept_are_counted_once_at_start(
    infra: Any,
) -> None:
    client = make_mongo_client(infra.mongodb_url)
    db = client.get_database(f"mgi_test_intake_{uuid4().hex[:8]}")
    try:
        older = {
            "_id": "IDN-older-national",
            "assessment_id": "IDN-older-national",
            "jurisdiction": {"code": "IDN", "name": "Indonesia", "parent": None},
            "scope": "national",
            "round": 1,
            "catalogue_version": "mgi-national-2024",
            "languages": ["en"],
            "status": "data_collection",
            "status_history": [],
            "created_at": datetime.now(UTC),
        }
        await db.assessments.insert_one(older)
        query = {"assessment_id": older["_id"]}
        await db.actors.insert_many([{**query, "_id": f"{older['_id']}/{a}", "actor_id": a}
                                     for a in ("mofa", "moh")])  # fmt: skip
        await db.submissions.insert_many([{**query, "_id": uuid4().hex, "actor_id": "mofa"}
                                          for _ in range(3)])  # fmt: skip
        await prepare_storage(db)
        deps = make_deps(db, CatalogueStore(db, builtin_catalogues()))
        view = await view_assessment(older["_id"], deps)
        assert view.counts.model_dump() == {"submissions": 3, "actors": 2, "actors_reporting": 1}
        # Recorded as done: a later start does not count again.
        await db.submissions.insert_one({**query, "_id": uuid4().hex, "actor_id": "moh"})
        await prepare_storage(db)
        assert (await view_assessment(older["_id"], deps)).counts.submissions == 3
    finally:
        await client.drop_database(db.name)
        await client.close()


async def test_every_read_and_write_of_a_submission_is_served_by_a_unique_index(
    intake: Any, infra: Any
) -> None:
    """On the local server an index serves only a filter naming exactly its fields: anything
    else reads the whole collection, a cost that grows with every submission stored."""
    assessment_id = await intake.assessment("IDN")
    commands = Commands()
    client: AsyncMongoClient[Document] = AsyncMongoClient(infra.mongodb_url, tz_aware=True,
                                                          event_listeners=[commands])  # fmt: skip
    db = client[intake.settings.database_name]
    try:
        deps = make_deps(db, CatalogueStore(db, builtin_catalogues()))
        raw = json.dumps(intake.submission_body(assessment_id)).encode()
        accepted = await accept_submission(from_json_body(raw, "kafka"), None, deps)
        assert accepted.created
        # A new submission: its assessment and actor read, one insert, the count claimed and
        # kept (answering the total), and listed in its assessment's history; never a read of
        # the submissions before the insert tells it is new.
        assert [(name, collection) for name, collection, _ in commands.filters_by_collection()] == [
            ("find", "assessments"),
            ("find", "actors"),
            ("update", "submissions"),
            ("findAndModify", "assessments"),
            ("update", "submission_lists"),
        ]
        again = await accept_submission(from_json_body(raw, "kafka"), None, deps)
        assert not again.created
        assert await unindexed_filters(db, commands) == []
    finally:
        await client.close()
