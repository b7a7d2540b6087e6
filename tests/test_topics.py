"""Topics as the platform creates them: state topics compacted and never expired, so a service
deployed long after an API key or an assessment was created still learns it."""

from uuid import uuid4

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from mgi_shared.contracts.topics import API_KEYS, ASSESSMENTS_CHANGED, STATE_TOPIC_CONFIG, TopicSpec
from mgi_shared.kafka.create_topics import ensure_topics
from mgi_shared.testing.kafka import eventually

pytestmark = pytest.mark.integration


async def topic_config(bootstrap: str, topic: str) -> dict[str, str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        [response] = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
        [(_, _, _, _, entries)] = response.resources
        return {entry[0]: entry[1] for entry in entries}
    finally:
        await admin.close()


async def test_the_state_topics_are_compacted_and_never_expire(infra) -> None:  # type: ignore[no-untyped-def]
    assert await ensure_topics(infra.kafka) == []  # the stack made them all already
    for topic in (API_KEYS, ASSESSMENTS_CHANGED):
        config = await topic_config(infra.kafka, topic)
        assert (config["cleanup.policy"], config["retention.ms"]) == ("compact", "-1"), topic


async def test_a_topic_made_before_it_was_compacted_is_compacted_by_the_next_run(infra) -> None:  # type: ignore[no-untyped-def]
    name = f"mgi.test.state-{uuid4().hex[:8]}.v1"
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, 1, 1)])  # the broker's defaults: 7 days
    finally:
        await admin.close()
    # A topic just made may answer with no settings until the broker has it in its metadata.
    before = await eventually(lambda: topic_config(infra.kafka, name))
    assert before["cleanup.policy"] == "delete"
    spec = TopicSpec(name, 1, "a state topic", STATE_TOPIC_CONFIG)
    assert await ensure_topics(infra.kafka, specs=[spec]) == []
    config = await topic_config(infra.kafka, name)
    assert (config["cleanup.policy"], config["retention.ms"]) == ("compact", "-1")
