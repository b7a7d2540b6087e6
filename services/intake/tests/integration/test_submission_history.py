"""GET /v1/assessments/{id}/submissions: who answered what, which edit replaced which, and
which answers count, for an edited Kobo submission beside another actor's."""

from typing import Any
from uuid import uuid4

CODES = ["RGT-1.01", "RGT-1.02"]


async def test_the_history_of_an_edited_kobo_submission(intake: Any, kobo_payload: Any) -> None:
    assessment_id = await intake.assessment("IDN", actors={"idn-mofa": CODES, "idn-moh": CODES})
    admin = intake.as_admin()
    original, edited = str(uuid4()), str(uuid4())
    kobo = f"/v1/integrations/kobo/{assessment_id}"
    assert (await intake.http.post(kobo, json=kobo_payload(original), headers=admin)).is_success
    edit = kobo_payload(edited, answers={"rights/RGT-1.01": "no", "rights/RGT-1.02": "partial"})
    edit["meta/deprecatedID"] = f"uuid:{original}"
    assert (await intake.http.post(kobo, json=edit, headers=admin)).is_success
    other = intake.submission_body(assessment_id, actor_id="idn-moh",
                                   answers=[{"indicator": "RGT-1.01", "value": "yes"}])  # fmt: skip
    assert (await intake.http.post("/v1/submissions", json=other, headers=admin)).is_success

    url = f"/v1/assessments/{assessment_id}/submissions"
    answer = await intake.http.get(url, headers=await intake.key("reviewer", "IDN"))
    assert answer.status_code == 200, answer.text
    history = {s["submission_id"]: s for s in answer.json()["submissions"]}
    assert list(history) == [original, edited, other["submission_id"]]
    assert answer.json()["truncated"] is False
    assert history[original]["superseded_by"] == edited
    assert history[edited]["supersedes"] == original and history[edited]["superseded_by"] is None
    assert (
        history[original]["source"] == "kobo"
        and history[other["submission_id"]]["source"] == "http"
    )
    assert [a["current"] for a in history[original]["answers"]] == [False, False]
    assert [(a["indicator"], a["value"], a["current"]) for a in history[edited]["answers"]] == [
        ("RGT-1.01", "no", True), ("RGT-1.02", "partial", True)]  # fmt: skip
    assert history[original]["answers"][0]["evidence"].startswith("Law No. 18/2017")
    # Why RGT-1.01 is a conflict: MoFA's edit says no, MoH says yes.
    one = await intake.http.get(url, params={"indicator": "RGT-1.01"}, headers=admin)
    counted = [(s["actor_id"], a["value"]) for s in one.json()["submissions"]
               for a in s["answers"] if a["current"]]  # fmt: skip
    assert counted == [("idn-mofa", "no"), ("idn-moh", "yes")]
    only_moh = await intake.http.get(url, params={"actor": "idn-moh"}, headers=admin)
    assert [s["submission_id"] for s in only_moh.json()["submissions"]] == [other["submission_id"]]
    only_second = await intake.http.get(url, params={"indicator": "RGT-1.02"}, headers=admin)
    assert [s["submission_id"] for s in only_second.json()["submissions"]] == [original, edited]


async def test_only_admins_and_reviewers_of_the_jurisdiction_read_it(intake: Any) -> None:
    assessment_id = await intake.assessment("IDN")
    url = f"/v1/assessments/{assessment_id}/submissions"
    assert (await intake.http.get(url)).status_code == 401
    for key, status in (
        (await intake.key("reviewer", "KEN"), 403),
        (await intake.key("submitter", "IDN"), 403),
        (await intake.key("reviewer", "IDN"), 200),
        (intake.as_admin(), 200),
    ):
        assert (await intake.http.get(url, headers=key)).status_code == status
    unknown = await intake.http.get(f"/v1/assessments/IDN-{uuid4().hex}/submissions",
                                    headers=intake.as_admin())  # fmt: skip
    assert unknown.status_code == 404


async def test_submissions_stored_before_histories_were_kept_are_listed_once_at_start(
    infra: Any,
) -> None:
    from datetime import UTC, datetime, timedelta

    from mgi_intake.adapters.storage import prepare_storage
    from mgi_intake.adapters.submissions import SubmissionRepository
    from mgi_shared.mongo import make_mongo_client

    client = make_mongo_client(infra.mongodb_url)
    db = client.get_database(f"mgi_test_intake_{uuid4().hex[:8]}")
    try:
        now = datetime.now(UTC)
        await db.assessments.insert_one({"_id": "IDN-old", "status_history": [], "created_at": now})
        await db.submissions.insert_many([
            {"_id": f"s{i}", "assessment_id": "IDN-old", "actor_id": "mofa",
             "received_at": now - timedelta(minutes=i)} for i in range(3)
        ])  # fmt: skip
        await prepare_storage(db)
        listed = await SubmissionRepository(db).listed("IDN-old", 3)
        assert [entry["id"] for entry in listed] == ["s2", "s1", "s0"]
        assert (await db.assessments.find_one({"_id": "IDN-old"}))["updated_at"] == now.replace(
            microsecond=now.microsecond // 1000 * 1000
        )
    finally:
        await client.drop_database(db.name)
        await client.close()


async def test_a_long_history_spans_several_small_lists(infra: Any) -> None:
    from mgi_intake.adapters import submissions
    from mgi_intake.adapters.submissions import LIST_SIZE, SubmissionRepository
    from mgi_shared.mongo import make_mongo_client

    client = make_mongo_client(infra.mongodb_url)
    db = client.get_database(f"mgi_test_intake_{uuid4().hex[:8]}")
    try:
        repo = SubmissionRepository(db)
        total = 2 * LIST_SIZE + 10
        for n in range(1, total + 1):
            await repo.remember("IDN-long", f"s{n}", "mofa", n)
        assert await db.submission_lists.count_documents({}) == 3
        listed = await repo.listed("IDN-long", total)
        assert [e["id"] for e in listed] == [f"s{n}" for n in range(1, total + 1)]
        # A count one low (a crash between claim and count) still finds the newest.
        assert (await repo.listed("IDN-long", total - 1))[-1]["id"] == f"s{total}"
        limit = submissions.HISTORY_LIMIT
        try:
            submissions.HISTORY_LIMIT = LIST_SIZE
            newest = await repo.listed("IDN-long", total)
            assert [e["id"] for e in newest] == [f"s{n}" for n in range(total - LIST_SIZE + 1,
                                                                         total + 1)]  # fmt: skip
        finally:
            submissions.HISTORY_LIMIT = limit
    finally:
        await client.drop_database(db.name)
        await client.close()
