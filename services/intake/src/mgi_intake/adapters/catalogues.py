"""Catalogues: the built-in ones from the package, plus versions registered by admins."""

from typing import Literal

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from mgi_intake.domain.parsing import fingerprint
from mgi_shared.catalogue.model import Catalogue
from mgi_shared.mongo import Document

Registered = Literal["created", "exists", "conflict"]


class CatalogueStore:
    def __init__(self, db: AsyncDatabase[Document], builtins: list[Catalogue]) -> None:
        self._collection = db.catalogues
        self._builtins = {c.version: c for c in builtins}
        # Catalogue versions never change once registered, so caching is safe.
        self._cache: dict[str, Catalogue] = dict(self._builtins)

    async def get(self, version: str) -> Catalogue | None:
        if version not in self._cache:
            document = await self._collection.find_one({"_id": version})
            if document is None:
                return None
            self._cache[version] = Catalogue.model_validate(document["catalogue"])
        return self._cache[version]

    async def all(self) -> list[Catalogue]:
        stored = [
            Catalogue.model_validate(d["catalogue"])
            async for d in self._collection.find({"_id": {"$nin": list(self._builtins)}})
        ]
        return sorted([*self._builtins.values(), *stored], key=lambda c: c.version)

    async def register(self, catalogue: Catalogue) -> Registered:
        body = catalogue.model_dump(mode="json")
        existing = await self.get(catalogue.version)
        if existing is None:
            try:
                await self._collection.insert_one(
                    {"_id": catalogue.version, "catalogue": body, "fingerprint": fingerprint(body)}
                )
                return "created"
            except DuplicateKeyError:
                existing = await self.get(catalogue.version)
        same = existing is not None and fingerprint(
            existing.model_dump(mode="json")
        ) == fingerprint(body)
        return "exists" if same else "conflict"
