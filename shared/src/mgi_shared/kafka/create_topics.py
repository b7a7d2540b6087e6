"""Creates the platform's topics, or brings existing ones to their settings; safe to rerun.

The one place topics are made: `mgi stack up`, the Compose `topics-init` service and the
Kubernetes job all run it (`python -m mgi_shared.kafka.create_topics`, reading
KAFKA_BOOTSTRAP_SERVERS, the KAFKA_* security settings, MGI_TOPIC_REPLICATION and
MGI_TOPIC_MIN_INSYNC_REPLICAS). The broker never auto-creates topics.
"""

import asyncio
import os
from dataclasses import replace
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from mgi_shared.contracts.topics import TopicSpec, all_topics
from mgi_shared.kafka.security import client_options
from mgi_shared.settings import PlatformSettings


async def ensure_topics(
    bootstrap: str,
    replication: int = 1,
    specs: list[TopicSpec] | None = None,
    options: dict[str, Any] | None = None,
    min_insync: int | None = None,
) -> list[str]:
    """Create the missing topics (`specs`, by default the platform's) and set every topic's own
    settings (a topic made before it had them, e.g. before compaction, gets them too); returns
    the names created. `min_insync` sets `min.insync.replicas` on every topic: with producers
    at acks=all, a write is then acknowledged only once that many replicas hold it."""
    specs = all_topics() if specs is None else specs
    if min_insync is not None:
        extra = {"min.insync.replicas": str(min_insync)}
        specs = [replace(spec, config={**spec.config, **extra}) for spec in specs]
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, request_timeout_ms=15000, **(options or {})
    )
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [spec for spec in specs if spec.name not in existing]
        if missing:
            await admin.create_topics([_new_topic(spec, replication) for spec in missing])
        configured = [spec for spec in specs if spec.config and spec.name in existing]
        if configured:
            await admin.alter_configs([_resource(spec) for spec in configured])
        return [spec.name for spec in missing]
    finally:
        await admin.close()


def _new_topic(spec: TopicSpec, replication: int) -> NewTopic:
    return NewTopic(spec.name, spec.partitions, replication, topic_configs=spec.config or None)


def _resource(spec: TopicSpec) -> ConfigResource:
    return ConfigResource(ConfigResourceType.TOPIC, spec.name, configs=spec.config)


def main() -> None:
    settings = PlatformSettings()  # KAFKA_BOOTSTRAP_SERVERS and the KAFKA_* security settings
    replication = int(os.environ.get("MGI_TOPIC_REPLICATION", "1"))
    min_insync = os.environ.get("MGI_TOPIC_MIN_INSYNC_REPLICAS")
    created = asyncio.run(
        ensure_topics(
            settings.kafka_bootstrap_servers,
            replication,
            options=client_options(settings),
            min_insync=int(min_insync) if min_insync else None,
        )
    )
    print("topics created:", created or "none (all exist)")


if __name__ == "__main__":
    main()
