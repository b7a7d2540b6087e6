"""`mgi dlq list | replay` against the real broker: a dead letter is shown, then replayed to
its original topic, where a consumer that now succeeds handles it from its first attempt."""

import asyncio
import os
import subprocess
import sys
from uuid import uuid4

import pytest

from mgi_shared.contracts.topics import dead_letter_topic, retry_topic
from mgi_shared.kafka.broker import make_broker
from mgi_shared.kafka.records import InboundRecord, PermanentError
from mgi_shared.kafka.reliable import ReliableConsumer
from mgi_shared.settings import ServiceSettings
from mgi_shared.testing.kafka import create_topics, eventually, read_records

pytestmark = pytest.mark.integration


def mgi(bootstrap: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": bootstrap, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "mgi_cli.main", *args], env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


async def test_a_dead_letter_is_listed_then_replayed_to_its_original_topic(infra) -> None:  # type: ignore[no-untyped-def]
    service = f"t{uuid4().hex[:10]}"
    topic, dead_letters = f"mgi.test.{service}.v1", dead_letter_topic(service)
    await create_topics(infra.kafka, [topic, retry_topic(service), dead_letters], 1)
    broker = make_broker(ServiceSettings(service_name=service, kafka_bootstrap_servers=infra.kafka))
    handled: list[InboundRecord] = []
    broken = True

    async def handler(record: InboundRecord) -> None:
        if broken:
            raise PermanentError("the handler had a bug")
        handled.append(record)

    consumer = ReliableConsumer(broker, service, f"g-{service}", 2, 0.05)
    consumer.subscribe(topic, handler)
    consumer.register()
    await broker.start()
    try:
        await broker.publish(b'{"n": 1}', topic, key=b"IDN-2024-national")
        await read_records(infra.kafka, dead_letters, lambda records: len(records) == 1)

        listed = await asyncio.to_thread(mgi, infra.kafka, "dlq", "list", "--topic", dead_letters)
        assert listed.returncode == 0, listed.stdout + listed.stderr
        assert "1 dead letter(s)" in listed.stdout
        assert f"{topic}[0]@0" in listed.stdout
        assert "the handler had a bug" in listed.stdout
        later = await asyncio.to_thread(mgi, infra.kafka, "dlq", "list", "--topic", dead_letters,
                                        "--since", "2999-01-01")  # fmt: skip
        assert "0 dead letter(s)" in later.stdout

        broken = False  # the fix is deployed
        replayed = await asyncio.to_thread(mgi, infra.kafka, "dlq", "replay", "--topic",
                                           dead_letters)  # fmt: skip
        assert replayed.returncode == 0, replayed.stdout + replayed.stderr
        assert "replayed 1 dead letter(s)" in replayed.stdout
        await eventually(lambda: len(handled) == 1, timeout=30)
    finally:
        await broker.stop()
    assert (handled[0].value, handled[0].key, handled[0].attempt) == (
        b'{"n": 1}',
        b"IDN-2024-national",
        1,
    )
