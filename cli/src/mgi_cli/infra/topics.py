"""Creates the platform's topics with explicit partition counts (auto-creation is off)."""

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from mgi_shared.contracts.topics import all_topics


async def ensure_topics(bootstrap: str, replication: int = 1) -> list[str]:
    """Create the missing topics; returns the names created (none on a second run)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [spec for spec in all_topics() if spec.name not in existing]
        if missing:
            await admin.create_topics(
                [NewTopic(s.name, s.partitions, replication) for s in missing]
            )
        return [spec.name for spec in missing]
    finally:
        await admin.close()
