"""The database client: one per event loop, each service in its own database."""

from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

Document = dict[str, Any]


def make_mongo_client(url: str) -> AsyncMongoClient[Document]:
    """Timezone-aware datetimes everywhere, and a quick failure when the server is gone."""
    return AsyncMongoClient(
        url,
        tz_aware=True,
        serverSelectionTimeoutMS=5000,
        uuidRepresentation="standard",
        appname="mgi",
    )


def service_database(client: AsyncMongoClient[Document], name: str) -> AsyncDatabase[Document]:
    return client.get_database(name)
