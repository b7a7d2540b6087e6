"""Subscriptions in the service's database, with an in-memory copy for matching.

Subscriptions are few and read for every event: the copy is reloaded when this process
changes one and at most `refresh_seconds` after another replica did.
"""

import time

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from mgi_notifications.domain.subscriptions import Subscription
from mgi_shared.coalescing import reads_by_id
from mgi_shared.mongo import Document

COLLECTION = "subscriptions"


class SubscriptionStore:
    def __init__(self, db: AsyncDatabase[Document], refresh_seconds: float = 5.0) -> None:
        self._collection: AsyncCollection[Document] = db.get_collection(COLLECTION)
        self._refresh_seconds = refresh_seconds
        self._cache: dict[str, Subscription] | None = None
        self._loaded_at = 0.0
        # Read for every send: the sends under way at the same time read in one query.
        self._reads = reads_by_id(self._collection)

    async def add(self, subscription: Subscription) -> None:
        document = subscription.model_dump(mode="json")
        document["_id"] = subscription.subscription_id
        await self._collection.insert_one(document)
        self._cache = None

    async def remove(self, subscription_id: str) -> bool:
        result = await self._collection.delete_one({"_id": subscription_id})
        self._cache = None
        return result.deleted_count == 1

    async def all(self) -> list[Subscription]:
        if self._cache is None or time.monotonic() - self._loaded_at > self._refresh_seconds:
            documents = [d async for d in self._collection.find({})]
            self._cache = {d["_id"]: Subscription.model_validate(d) for d in documents}
            self._loaded_at = time.monotonic()
        return list(self._cache.values())

    async def get(self, subscription_id: str) -> Subscription | None:
        """Read from the database: a sender must not use a subscription deleted meanwhile."""
        document = await self._reads.submit(subscription_id)
        return Subscription.model_validate(document) if document else None
