"""The database client: one per event loop, each service in its own database."""

from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from mgi_shared.settings import PlatformSettings

Document = dict[str, Any]


def merge_updates(*updates: Document) -> Document:
    """Update documents combined operator by operator (their fields must not overlap)."""
    merged: Document = {}
    for update in updates:
        for operator, fields in update.items():
            merged.setdefault(operator, {}).update(fields)
    return merged


def tls_options(settings: PlatformSettings) -> dict[str, Any]:
    """Client options for what MONGODB_URL cannot carry: the CA file (MONGODB_TLS_CA_FILE) and
    a client certificate (MONGODB_TLS_CERTIFICATE_KEY_FILE). Either turns TLS on (as pymongo
    does for any tls* option), so a server that does not speak TLS fails loudly."""
    options: dict[str, Any] = {}
    if settings.mongodb_tls_ca_file is not None:
        options["tlsCAFile"] = str(settings.mongodb_tls_ca_file)
    if settings.mongodb_tls_certificate_key_file is not None:
        options["tlsCertificateKeyFile"] = str(settings.mongodb_tls_certificate_key_file)
    if options:
        options["tls"] = True
    return options


def make_mongo_client(url: str, **options: Any) -> AsyncMongoClient[Document]:
    """Timezone-aware datetimes everywhere, and a quick failure when the server is gone;
    `options` (tls_options) add TLS files to what the URL says."""
    return AsyncMongoClient(
        url,
        tz_aware=True,
        serverSelectionTimeoutMS=5000,
        uuidRepresentation="standard",
        appname="mgi",
        **options,
    )


def service_database(client: AsyncMongoClient[Document], name: str) -> AsyncDatabase[Document]:
    return client.get_database(name)
