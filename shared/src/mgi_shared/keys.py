"""Each service's local copy of the API keys, kept from `mgi.apikeys.v1`."""

import contextlib

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from mgi_shared.auth import ApiKeyRecord, KeyLookup
from mgi_shared.contracts.envelope import EventEnvelope
from mgi_shared.kafka.records import InboundRecord, PermanentError
from mgi_shared.key_signing import is_authentic
from mgi_shared.mongo import Document

ApiKeyChanged = EventEnvelope[ApiKeyRecord]


class KeyReplica:
    """Upserts by key id: replaying the topic gives the same copy, so it is idempotent.
    Only records signed by intake are kept (see mgi_shared.key_signing)."""

    def __init__(self, db: AsyncDatabase[Document], signing_secret: bytes) -> None:
        self._keys = db.get_collection("api_keys")
        self._secret = signing_secret

    async def on_record(self, record: InboundRecord) -> None:
        event = ApiKeyChanged.model_validate_json(record.value)
        if not is_authentic(event.data, self._secret):
            # Dead-lettered: a forgery (or a secret that differs between services) is for an
            # operator to see, and no retry can make it authentic.
            raise PermanentError(f"API key event for {event.data.key_id} has no valid signature")
        await self.store(event.data)

    async def store(self, key: ApiKeyRecord) -> None:
        """A revocation is final: an older event about the key (a relay's repeat of its
        creation, a replay of the topic) never brings a revoked key back."""
        fields = key.model_dump(mode="json")
        if key.revoked:
            await self._keys.update_one({"_id": key.key_id}, {"$set": fields}, upsert=True)
            return
        # Stored and revoked already: the filter misses it and the upsert's insert is refused.
        with contextlib.suppress(DuplicateKeyError):
            await self._keys.update_one(
                {"_id": key.key_id, "revoked": {"$ne": True}}, {"$set": fields}, upsert=True
            )

    def lookup(self) -> KeyLookup:
        async def find(key_id: str) -> ApiKeyRecord | None:
            document = await self._keys.find_one({"_id": key_id})
            return ApiKeyRecord.model_validate(document) if document else None

        return find
