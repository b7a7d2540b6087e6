"""GET /v1/assessments: scoped per key, filtered, last change first, a cursor per page."""

import random
import string
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

# Every "Z??" code once, in a random order: each test's list then holds only its own
# assessments (codes drawn with replacement collided now and then within a session).
_CODES = iter(random.sample([f"Z{a}{b}" for a in string.ascii_uppercase
                             for b in string.ascii_uppercase], k=26 * 26))  # fmt: skip


def country() -> str:
    """A code no other test of the session uses."""
    return next(_CODES)


async def create(intake: Any, code: str, *, local: bool = False) -> str:
    assessment_id = f"{code}-{uuid4().hex[:8]}"
    body = intake.assessment_body(assessment_id, code)
    if local:
        body |= {"scope": "local", "catalogue_version": "mgi-local-2024"}
        body["jurisdiction"]["parent"] = code.split("-")[0]
    created = await intake.http.post("/v1/assessments", json=body, headers=intake.as_admin())
    assert created.status_code == 201, created.text
    return assessment_id


async def ids(intake: Any, headers: dict[str, str], **params: Any) -> list[str]:
    listed = await intake.http.get("/v1/assessments", params=params, headers=headers)
    assert listed.status_code == 200, listed.text
    return [item["assessment_id"] for item in listed.json()["items"]]


async def test_each_key_sees_its_jurisdictions_and_the_local_ones_under_them(intake: Any) -> None:
    home, other = country(), country()
    national = await create(intake, home)
    local = await create(intake, f"{home}-JK", local=True)
    elsewhere = await create(intake, other)
    admin = intake.as_admin()
    assert set(await ids(intake, admin, jurisdiction=home)) == {national, local}
    assert await ids(intake, await intake.key("reviewer", home), jurisdiction=other) == []
    seen = await ids(intake, await intake.key("reviewer", home))
    assert national in seen and local in seen and elsewhere not in seen
    assert await ids(intake, await intake.key("submitter", f"{home}-JK")) == [local]
    assert (await intake.http.get("/v1/assessments")).status_code == 401


async def test_filters_by_scope_round_and_status(intake: Any) -> None:
    home = country()
    national = await create(intake, home)
    local = await create(intake, f"{home}-BA", local=True)
    admin = intake.as_admin()
    assert await ids(intake, admin, jurisdiction=home, scope="local") == [local]
    assert await ids(intake, admin, jurisdiction=home, scope="national") == [national]
    assert await ids(intake, admin, jurisdiction=home, round=2) == []
    moved = await intake.http.post(f"/v1/assessments/{national}/status",
                                   json={"status": "data_collection"}, headers=admin)  # fmt: skip
    assert moved.status_code == 200
    assert await ids(intake, admin, jurisdiction=home, status="data_collection") == [national]
    bad = await intake.http.get("/v1/assessments", params={"status": "nope"}, headers=admin)
    assert bad.status_code == 422


async def test_last_change_first_and_a_cursor_through_every_page(intake: Any) -> None:
    home = country()
    created = [await create(intake, home) for _ in range(5)]
    admin = intake.as_admin()
    assert await ids(intake, admin, jurisdiction=home) == created[::-1]
    # A change (here an actor mapped) moves an assessment to the front.
    actor = {"name": "MoFA", "cluster": "rights", "indicators": ["RGT-1.01"]}
    put = await intake.http.put(f"/v1/assessments/{created[1]}/actors/mofa", json=actor,
                                headers=admin)  # fmt: skip
    assert put.status_code == 200
    expected = [created[1], created[4], created[3], created[2], created[0]]
    pages, cursor = [], None
    while True:
        params: dict[str, Any] = {"jurisdiction": home, "limit": 2}
        if cursor:
            params["next"] = cursor
        page = (await intake.http.get("/v1/assessments", params=params, headers=admin)).json()
        pages.append([item["assessment_id"] for item in page["items"]])
        cursor = page["next"]
        if cursor is None:
            break
    assert pages == [expected[0:2], expected[2:4], expected[4:]]
    first = (await intake.http.get("/v1/assessments", params={"jurisdiction": home},
                                   headers=admin)).json()["items"][0]  # fmt: skip
    assert first["counts"] == {"submissions": 0, "actors": 1, "actors_reporting": 0}
    bad = await intake.http.get("/v1/assessments", params={"next": "garbage"}, headers=admin)
    assert bad.status_code == 422


async def test_a_submission_is_a_change_and_its_time_is_shown(intake: Any) -> None:
    assessment_id = await intake.assessment(country())
    body = intake.submission_body(assessment_id)
    sent = await intake.http.post("/v1/submissions", json=body, headers=intake.as_admin())
    assert sent.status_code == 202
    listed = await intake.http.get("/v1/assessments", headers=intake.as_admin())
    first = listed.json()["items"][0]
    assert first["assessment_id"] == assessment_id
    assert first["last_submission_at"] is not None
    assert first["counts"]["submissions"] == 1


async def test_a_thousand_assessments_on_the_local_database(intake: Any) -> None:
    """The local server scans for this query (it uses no non-unique index): a thousand
    assessments shaped as stored must still list quickly."""
    code = country()
    now = datetime.now(UTC)
    documents = [
        {
            **intake.assessment_body(f"{code}-bulk-{i:04d}", code),
            "_id": f"{code}-bulk-{i:04d}",
            "status": "data_collection",
            "status_history": [{"status": "launched", "at": now}] * 2,
            "created_at": now,
            "updated_at": now - timedelta(seconds=i),
            "counts": {"submissions": 3, "actors": 2, "reporting": ["a", "b"]},
            "outbox": [],
            "outbox_count": 2,
            "outbox_sent_count": 2,
            "outbox_pending": False,
        }
        for i in range(1000)
    ]
    for document in documents:
        del document["assessment_id"]
        document["assessment_id"] = document["_id"]
    await intake.db.assessments.insert_many(documents)
    admin = intake.as_admin()
    timings = []
    for params in ({"limit": 100}, {"jurisdiction": code, "limit": 100}, {"status": "launched"}):
        started = time.perf_counter()
        listed = await intake.http.get("/v1/assessments", params=params, headers=admin)
        timings.append(time.perf_counter() - started)
        assert listed.status_code == 200
    print(
        f"list of {len(documents)}+ assessments: "
        + ", ".join(f"{t * 1000:.0f} ms" for t in timings)
    )
    assert max(timings) < 1.0
    page = await ids(intake, admin, jurisdiction=code, limit=3)
    assert page == [f"{code}-bulk-0000", f"{code}-bulk-0001", f"{code}-bulk-0002"]
