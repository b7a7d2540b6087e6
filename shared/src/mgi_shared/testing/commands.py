"""What a piece of code asks the database, for tests that bound its reads and writes."""

from typing import Any
from uuid import UUID

from bson import ObjectId
from pymongo import monitoring
from pymongo.asynchronous.database import AsyncDatabase

from mgi_shared.mongo import Document


class Commands(monitoring.CommandListener):
    """Every command the client sends, by name, with its body (pass as an event listener)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.sent.append((event.command_name, dict(event.command)))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def filters(self) -> list[tuple[str, dict[str, Any]]]:
        """(command, filter) of each read and write."""
        return [(name, query) for name, _, query in self.filters_by_collection()]

    def filters_by_collection(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(command, collection, filter) of each read and write."""
        found: list[tuple[str, str, dict[str, Any]]] = []
        for name, body in self.sent:
            if name == "find":
                found.append((name, body["find"], body["filter"]))
            elif name == "findAndModify":
                found.append((name, body["findAndModify"], body["query"]))
            elif name in ("update", "delete"):
                key = "updates" if name == "update" else "deletes"
                found.extend((name, body[name], statement["q"]) for statement in body[key])
        return found


async def unindexed_filters(database: AsyncDatabase[Document], commands: Commands) -> list[Any]:
    """The filters that the local server cannot serve from an index: it uses a unique index
    for a filter naming exactly the index's fields, and the `_id` index for any filter that
    names a plain `_id` (then matching the rest on that one document); anything else reads the
    whole collection."""
    missing = []
    for name, collection, query in commands.filters_by_collection():
        if "_id" in query and _is_plain_key(query["_id"]):
            continue
        indexes = [spec async for spec in await database[collection].list_indexes()]
        unique = [
            set(spec["key"]) for spec in indexes if spec.get("unique") or spec["name"] == "_id_"
        ]
        if set(query) not in unique:
            missing.append((name, collection, sorted(query)))
    return missing


def _is_plain_key(value: Any) -> bool:
    """An `_id` value the launcher looks up in the `_id` index as it is (its
    DetachedH2Collection.isPlainKey): text, a number, an ObjectId or a UUID; not an operator
    such as `{"$in": [...]}`, a regex, a list or a document."""
    return isinstance(value, str | int | float | ObjectId | UUID) and not isinstance(value, bool)
