"""How many submissions intake holds: the "already stored" of the latency levels."""

from pymongo import AsyncMongoClient

from mgi_shared.settings import PlatformSettings, ServiceSettings


async def stored_submissions(settings: PlatformSettings) -> int:
    """Read from intake's database (its metadata count, no scan); the benchmark only reads."""
    database = ServiceSettings(service_name="intake").database_name  # honours MGI_INSTANCE
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(settings.mongodb_url)
    try:
        return await client[database]["submissions"].estimated_document_count()
    finally:
        await client.close()
