"""Apply an event's effect to a document at most once, in one atomic write.

The event id is recorded in the same update as the effect, and the update only
matches a document that has not seen that id. A repeat delivery matches nothing;
for a document that does not exist yet, the upsert then collides on `_id` and
the duplicate-key error means the same thing: already applied.
"""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from mgi_shared.mongo import Document

APPLIED_FIELD = "applied_event_ids"


async def apply_once(
    collection: AsyncCollection[Document],
    document_id: Any,
    event_id: str,
    update: Document,
) -> bool:
    """True when this call applied the effect, False when the event was applied before."""
    guarded = dict(update)
    guarded["$addToSet"] = {**update.get("$addToSet", {}), APPLIED_FIELD: event_id}
    try:
        result = await collection.update_one(
            {"_id": document_id, APPLIED_FIELD: {"$ne": event_id}}, guarded, upsert=True
        )
    except DuplicateKeyError:
        return False
    return result.upserted_id is not None or result.modified_count == 1
