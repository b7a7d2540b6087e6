"""What intake's database needs before serving: indexes, and one-off changes to older data."""

from datetime import UTC, datetime

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from mgi_intake.adapters.assessments import NO_COUNTS
from mgi_intake.adapters.submissions import LIST_SIZE, list_id
from mgi_shared.mongo import Document
from mgi_shared.outbox import prepare_outbox

KEPT_COUNTS = "kept-counts"
LISTS = "assessment-lists"
EARLIEST = datetime.min.replace(tzinfo=UTC)
# What real MongoDB needs for the list of assessments (filters, then last change, newest
# first). The local server ignores non-unique indexes and scans its few assessments instead.
LIST_INDEXES = (
    [("updated_at", DESCENDING), ("_id", DESCENDING)],
    [("jurisdiction.code", ASCENDING), ("updated_at", DESCENDING), ("_id", DESCENDING)],
    [("status", ASCENDING), ("updated_at", DESCENDING), ("_id", DESCENDING)],
)


async def prepare_storage(db: AsyncDatabase[Document]) -> None:
    """Creating an index again is a no-op; each migration runs once per database."""
    # The outbox relays' sweep is the only query on a submission's path that is not by `_id`
    # (compare-and-sets name `_id` and a guarded field: served by `_id`).
    for collection in ("submissions", "assessments", "api_keys"):
        await prepare_outbox(db[collection])
    await db.actors.create_index("assessment_id")  # the actor map's rare listing (exports)
    if await db.migrations.find_one({"_id": KEPT_COUNTS}) is None:
        await _count_older_assessments(db)
        await db.migrations.update_one({"_id": KEPT_COUNTS}, {"$set": {"done": True}}, upsert=True)
    for keys in LIST_INDEXES:
        await db.assessments.create_index(keys)
    if await db.migrations.find_one({"_id": LISTS}) is None:
        await _list_older_data(db)
        await db.migrations.update_one({"_id": LISTS}, {"$set": {"done": True}}, upsert=True)


async def _list_older_data(db: AsyncDatabase[Document]) -> None:
    """Assessments stored before the list existed get `updated_at` (their last status change)
    and their submissions listed for their history: one pass over each collection, once."""
    async for assessment in db.assessments.find(
        {"updated_at": {"$exists": False}}, {"status_history": 1, "created_at": 1}
    ):
        history = assessment.get("status_history") or []
        changed = history[-1]["at"] if history else assessment.get("created_at")
        await db.assessments.update_one(
            {"_id": assessment["_id"]}, {"$set": {"updated_at": changed}}
        )
    entries: dict[str, list[tuple[datetime, str, str]]] = {}
    async for submission in db.submissions.find(
        {}, {"assessment_id": 1, "actor_id": 1, "received_at": 1}
    ):
        received = submission.get("received_at") or EARLIEST
        entries.setdefault(submission["assessment_id"], []).append(
            (received, submission["_id"], submission.get("actor_id", ""))
        )
    for assessment_id, listed in entries.items():
        listed.sort()
        kept = [{"id": i, "actor": a} for _, i, a in listed]
        for start in range(0, len(kept), LIST_SIZE):
            # A list begun since (by a submission meanwhile) is kept as it is.
            await db.submission_lists.update_one(
                {"_id": list_id(assessment_id, start // LIST_SIZE)},
                {"$setOnInsert": {"entries": kept[start : start + LIST_SIZE]}},
                upsert=True,
            )


async def _count_older_assessments(db: AsyncDatabase[Document]) -> None:
    """Assessments stored before counts were kept get them counted, once; later writes keep
    them. One pass over the submissions and one over the actors, whatever their number:
    counting per assessment would read them once per assessment."""
    older = [
        a["_id"] async for a in db.assessments.find({"counts": {"$exists": False}}, {"_id": 1})
    ]
    if not older:
        return
    counts = {assessment_id: {**NO_COUNTS, "reporting": set()} for assessment_id in older}
    async for submission in db.submissions.find({}, {"assessment_id": 1, "actor_id": 1}):
        if (kept := counts.get(submission.get("assessment_id"))) is not None:
            kept["submissions"] += 1
            kept["reporting"].add(submission["actor_id"])
    async for actor in db.actors.find({}, {"assessment_id": 1}):
        if (kept := counts.get(actor.get("assessment_id"))) is not None:
            kept["actors"] += 1
    for assessment_id, kept in counts.items():
        kept["reporting"] = sorted(kept["reporting"])
        await db.assessments.update_one(
            {"_id": assessment_id, "counts": {"$exists": False}}, {"$set": {"counts": kept}}
        )
