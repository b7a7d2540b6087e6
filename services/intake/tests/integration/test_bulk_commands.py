"""Reads and writes of submissions handled at the same time go to the real database as one
command each (the assessments and actors read, insert, claim, listing, the counts and their
totals read back, or one command for both when every count is of one assessment), and each caller
still gets its own outcome: a repeat is told apart, a copy in the same bulk claims nothing,
positions are unique."""

import asyncio
from collections import Counter
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from pymongo import AsyncMongoClient

from mgi_intake.adapters.catalogues import CatalogueStore
from mgi_intake.adapters.submissions import list_id
from mgi_intake.service_layer.deps import make_deps
from mgi_shared.catalogue.loader import builtin_catalogues
from mgi_shared.mongo import Document
from mgi_shared.testing.commands import Commands

pytestmark = pytest.mark.integration


@pytest.fixture
async def listened(intake: Any, infra: Any) -> Any:
    commands = Commands()
    client: AsyncMongoClient[Document] = AsyncMongoClient(infra.mongodb_url, tz_aware=True,
                                                          event_listeners=[commands])  # fmt: skip
    db = client[intake.settings.database_name]
    yield make_deps(db, CatalogueStore(db, builtin_catalogues())), commands
    await client.close()


def sent(commands: Commands, name: str, collection: str) -> list[dict[str, Any]]:
    return [body for n, body in commands.sent if n == name and body[name] == collection]


def submission(assessment_id: str) -> Document:
    return {"_id": uuid4().hex, "assessment_id": assessment_id, "actor_id": "idn-mofa",
            "counted": False}  # fmt: skip


async def test_reads_at_once_are_one_query_and_each_caller_gets_its_own_document(
    intake: Any, listened: Any
) -> None:
    deps, commands = listened
    first, second = await intake.assessment("IDN"), await intake.assessment("KEN")
    commands.sent.clear()
    read = await asyncio.gather(*(deps.assessments.get(i)
                                  for i in (first, "IDN-none", second, first)))  # fmt: skip
    [query] = sent(commands, "find", "assessments")
    assert query["filter"] == {"_id": {"$in": [first, "IDN-none", second]}}
    assert [d and d["_id"] for d in read] == [first, None, second, first]
    assert read[0] == read[3] and read[0] is not read[3]  # a copy: callers may change theirs


async def test_inserts_at_once_are_one_command_and_a_repeat_is_told_apart(
    intake: Any, listened: Any
) -> None:
    deps, commands = listened
    documents = [submission("IDN-bulk") for _ in range(12)]
    await deps.submissions.insert_once(documents[0], [])
    commands.sent.clear()
    stored = await asyncio.gather(*(deps.submissions.insert_once(d, []) for d in documents))
    assert stored == [False] + [True] * 11  # the first was there already
    [insert] = sent(commands, "insert", "submissions")
    assert len(insert["documents"]) == 12


async def test_claims_at_once_are_one_command_and_each_submission_is_claimed_once(
    intake: Any, listened: Any
) -> None:
    deps, commands = listened
    documents = [submission("IDN-bulk") for _ in range(4)]
    await intake.db.submissions.insert_many(documents)
    first, second, third, fourth = (d["_id"] for d in documents)
    assert await deps.submissions.claim_for_counting(fourth)  # counted before
    commands.sent.clear()
    claims = await asyncio.gather(*(deps.submissions.claim_for_counting(i)
                                    for i in (first, second, first, third, fourth)))  # fmt: skip
    # Two copies of one submission in a bulk: the first claims it. One counted before: not
    # claimed again, which the bulk's count of changes shows, and reading back tells which.
    assert claims == [True, True, False, True, False]
    [claim] = sent(commands, "update", "submissions")
    assert len(claim["updates"]) == 4


async def test_counts_at_once_are_one_bulk_write_and_one_read_with_unique_positions(
    intake: Any, listened: Any
) -> None:
    deps, commands = listened
    assessments = [await intake.assessment("IDN"), await intake.assessment("KEN")]
    now = datetime.now(UTC)
    commands.sent.clear()
    counted = [(assessments[n % 2], f"actor-{n % 3}") for n in range(10)]
    positions = await asyncio.gather(
        *(deps.assessments.count_submission(a, actor, now) for a, actor in counted)
    )
    [write] = sent(commands, "update", "assessments")
    assert len(write["updates"]) == 2  # one per assessment
    assert len(sent(commands, "find", "assessments")) == 1  # the totals, read back
    for assessment_id in assessments:
        mine = [p for (a, _), p in zip(counted, positions, strict=True) if a == assessment_id]
        assert sorted(mine) == [1, 2, 3, 4, 5]
        kept = await intake.db.assessments.find_one({"_id": assessment_id})
        assert kept["counts"]["submissions"] == 5
        assert sorted(kept["counts"]["reporting"]) == ["actor-0", "actor-1", "actor-2"]


async def test_listings_at_once_are_one_command(intake: Any, listened: Any) -> None:
    deps, commands = listened
    assessment_id = f"IDN-{uuid4().hex[:8]}"
    commands.sent.clear()
    # Positions 249-252 straddle the first list and the second.
    await asyncio.gather(*(deps.submissions.remember(assessment_id, f"s{p}", "idn-mofa", p)
                           for p in range(249, 253)))  # fmt: skip
    [listing] = sent(commands, "update", "submission_lists")
    assert len(listing["updates"]) == 2
    lists = [await intake.db.submission_lists.find_one({"_id": list_id(assessment_id, n)})
             for n in (0, 1)]  # fmt: skip
    assert Counter(e["id"] for e in lists[0]["entries"]) == Counter(["s249", "s250"])
    assert Counter(e["id"] for e in lists[1]["entries"]) == Counter(["s251", "s252"])


async def test_counts_at_once_into_one_assessment_are_one_command_that_answers_the_total(
    intake: Any, listened: Any
) -> None:
    deps, commands = listened
    assessment_id = await intake.assessment("IDN")
    now = datetime.now(UTC)
    assert await deps.assessments.count_submission(assessment_id, "actor-0", now) == 1
    commands.sent.clear()
    positions = await asyncio.gather(*(deps.assessments.count_submission(assessment_id,
                                                                         f"actor-{n}", now)
                                       for n in range(3)))  # fmt: skip
    assert sorted(positions) == [2, 3, 4]
    assert [name for name, body in commands.sent if body.get(name) == "assessments"] == [
        "findAndModify"
    ]
    kept = await intake.db.assessments.find_one({"_id": assessment_id})
    assert kept["counts"]["submissions"] == 4
    assert sorted(kept["counts"]["reporting"]) == ["actor-0", "actor-1", "actor-2"]
