"""What a piece of code asks the database, for tests that bound its reads and writes."""

from typing import Any

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
    """The filters that no unique index serves as the local server needs it: naming exactly
    the index's fields (it then reads one document, else the whole collection)."""
    missing = []
    for name, collection, query in commands.filters_by_collection():
        indexes = [spec async for spec in await database[collection].list_indexes()]
        unique = [
            set(spec["key"]) for spec in indexes if spec.get("unique") or spec["name"] == "_id_"
        ]
        if set(query) not in unique:
            missing.append((name, collection, sorted(query)))
    return missing
