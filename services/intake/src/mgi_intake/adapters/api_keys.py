"""API keys: hashes only, each new one announced to the other services via the outbox."""

from pymongo.asynchronous.database import AsyncDatabase

from mgi_shared.auth import ApiKeyRecord, KeyLookup
from mgi_shared.mongo import Document
from mgi_shared.outbox import OutboxHints, insert_with_outbox


class ApiKeyRepository:
    def __init__(self, db: AsyncDatabase[Document], hints: OutboxHints | None = None) -> None:
        self.collection = db.api_keys
        self._hints = hints

    async def insert(self, record: ApiKeyRecord, events: list[Document]) -> None:
        document = {"_id": record.key_id, **record.model_dump(mode="json")}
        if not await insert_with_outbox(self.collection, document, events, self._hints):
            # Key ids are random: a taken one means a bug, never a repeat to answer quietly.
            raise RuntimeError(f"API key id {record.key_id} is already taken")

    def lookup(self) -> KeyLookup:
        async def find(key_id: str) -> ApiKeyRecord | None:
            document = await self.collection.find_one({"_id": key_id}, {"outbox": 0})
            return ApiKeyRecord.model_validate(document) if document else None

        return find
