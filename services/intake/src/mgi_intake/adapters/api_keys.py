"""API keys: hashes only, each new one announced to the other services via the outbox."""

from pymongo.asynchronous.database import AsyncDatabase

from mgi_shared.auth import ApiKeyRecord, KeyLookup
from mgi_shared.mongo import Document
from mgi_shared.outbox import OutboxHints, notify, outbox_fields_for_insert


class ApiKeyRepository:
    def __init__(self, db: AsyncDatabase[Document], hints: OutboxHints | None = None) -> None:
        self.collection = db.api_keys
        self._hints = hints

    async def insert(self, record: ApiKeyRecord, events: list[Document]) -> None:
        document = {"_id": record.key_id, **record.model_dump(mode="json")}
        await self.collection.insert_one({**document, **outbox_fields_for_insert(events)})
        notify(self._hints, record.key_id)

    def lookup(self) -> KeyLookup:
        async def find(key_id: str) -> ApiKeyRecord | None:
            document = await self.collection.find_one({"_id": key_id}, {"outbox": 0})
            return ApiKeyRecord.model_validate(document) if document else None

        return find
