"""What intake's database needs before serving: indexes, and one-off changes to older data."""

from pymongo.asynchronous.database import AsyncDatabase

from mgi_intake.adapters.assessments import NO_COUNTS
from mgi_shared.mongo import Document
from mgi_shared.outbox import guard_index, prepare_outbox

KEPT_COUNTS = "kept-counts"


async def prepare_storage(db: AsyncDatabase[Document]) -> None:
    """Creating an index again is a no-op; each migration runs once per database."""
    # The outbox relays' sweep is the only query that is not by `_id`; the other filters name
    # `_id` and one field guarding a compare-and-set, each with its unique index.
    for collection in ("submissions", "assessments", "api_keys"):
        await prepare_outbox(db[collection])
    await guard_index(db.assessments, "status")  # status moves
    await guard_index(db.submissions, "counted")  # counted once
    await db.actors.create_index("assessment_id")  # the actor map's rare listing (exports)
    if await db.migrations.find_one({"_id": KEPT_COUNTS}) is None:
        await _count_older_assessments(db)
        await db.migrations.update_one({"_id": KEPT_COUNTS}, {"$set": {"done": True}}, upsert=True)


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
