"""API keys: hashes only, each new or revoked one announced to the other services via the
outbox, in the same write as the change."""

from datetime import datetime

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from mgi_shared.auth import ApiKeyRecord, KeyLookup
from mgi_shared.mongo import Document
from mgi_shared.outbox import (
    OutboxHints,
    insert_with_outbox,
    update_with_outbox,
)

# What operators may see of a stored key: not its hash nor its signature.
PUBLIC_FIELDS: Document = {"key_id": 1, "label": 1, "role": 1, "jurisdictions": 1, "revoked": 1,
                           "created_at": 1, "expires_at": 1, "revoked_at": 1,
                           "last_used_at": 1}  # fmt: skip


class ApiKeyRepository:
    def __init__(self, db: AsyncDatabase[Document], hints: OutboxHints | None = None) -> None:
        self.collection = db.api_keys
        self._hints = hints

    async def insert(self, record: ApiKeyRecord, events: list[Document]) -> None:
        # Python values, so times are stored as dates (sortable, comparable with $max).
        document = {"_id": record.key_id, **record.model_dump()}
        if not await insert_with_outbox(self.collection, document, events, self._hints):
            # Key ids are random: a taken one means a bug, never a repeat to answer quietly.
            raise RuntimeError(f"API key id {record.key_id} is already taken")

    async def get(self, key_id: str) -> ApiKeyRecord | None:
        document = await self.collection.find_one({"_id": key_id}, {"outbox": 0})
        return ApiKeyRecord.model_validate(document) if document else None

    async def get_public(self, key_id: str) -> Document | None:
        return await self.collection.find_one({"_id": key_id}, PUBLIC_FIELDS)

    async def list_public(self) -> list[Document]:
        """Every key, oldest first. A whole-collection read: keys number in the hundreds and
        operators list them rarely."""
        found = self.collection.find({}, PUBLIC_FIELDS).sort([("created_at", ASCENDING)])
        return [document async for document in found]

    async def revoke(self, revoked: ApiKeyRecord, events: list[Document]) -> bool:
        """Compare-and-set on `revoked`: False when it was revoked already (by another call)."""
        fields = revoked.model_dump(include={"revoked", "revoked_at", "signature"})
        query = {"_id": revoked.key_id, "revoked": False}
        return await update_with_outbox(
            self.collection, query, {"$set": fields}, events, self._hints
        )

    async def record_use(self, key_id: str, at: datetime) -> None:
        """`$max`: replicas writing out of order never move it back."""
        await self.collection.update_one({"_id": key_id}, {"$max": {"last_used_at": at}})

    def lookup(self) -> KeyLookup:
        async def find(key_id: str) -> ApiKeyRecord | None:
            document = await self.collection.find_one({"_id": key_id}, {"outbox": 0})
            return ApiKeyRecord.model_validate(document) if document else None

        return find
