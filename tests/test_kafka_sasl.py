"""The platform's Kafka clients against a real broker that demands SASL/SCRAM-SHA-512.

A second single-node broker is started for this module with a SASL_PLAINTEXT listener and
one SCRAM user added at format time (its inter-broker and controller traffic stays plain).
The services' broker factory and the CLI's topic creation reach it with the KAFKA_* settings;
a wrong password is refused.
"""

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.errors import KafkaError

from mgi_cli.infra import kafka, processes
from mgi_cli.infra.java import require_java
from mgi_cli.infra.launch import LaunchSpec
from mgi_cli.infra.processes import ProcessPaths
from mgi_cli.infra.readiness import kafka_probe, wait_until
from mgi_cli.infra.setup_commands import run_setup
from mgi_cli.stack import REPO_ROOT
from mgi_shared.contracts.topics import TopicSpec
from mgi_shared.kafka.broker import make_broker
from mgi_shared.kafka.create_topics import ensure_topics
from mgi_shared.kafka.security import client_options
from mgi_shared.settings import ServiceSettings

pytestmark = pytest.mark.integration

# Below the ephemeral range, apart from every other test port.
PLAIN_PORT, SASL_PORT, CONTROLLER_PORT = 29402, 29403, 29404
USER, PASSWORD = "mgi-service", f"pw-{uuid4().hex}"


def sasl_properties(kafka_dir: Path) -> str:
    base = kafka.server_properties(kafka_dir, "127.0.0.1", PLAIN_PORT, CONTROLLER_PORT)
    settings = dict(line.split("=", 1) for line in base.splitlines() if line)
    host = "127.0.0.1"
    settings |= {
        "listeners": f"PLAINTEXT://{host}:{PLAIN_PORT},SASL_PLAINTEXT://{host}:{SASL_PORT},"
        f"CONTROLLER://{host}:{CONTROLLER_PORT}",
        "advertised.listeners": f"PLAINTEXT://{host}:{PLAIN_PORT},"
        f"SASL_PLAINTEXT://{host}:{SASL_PORT},CONTROLLER://{host}:{CONTROLLER_PORT}",
        "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,"
        "SASL_PLAINTEXT:SASL_PLAINTEXT",
        "sasl.enabled.mechanisms": "SCRAM-SHA-512",
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config":
            "org.apache.kafka.common.security.scram.ScramLoginModule required;",
    }  # fmt: skip
    return "".join(f"{key}={value}\n" for key, value in settings.items())


@pytest.fixture(scope="module")
def sasl_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    kafka_dir = tmp_path_factory.mktemp("kafka-sasl")
    cache = Path(os.environ.get("MGI_CACHE_DIR", Path.home() / ".cache" / "mgi"))
    classpath = kafka.ensure_classpath(REPO_ROOT, cache, print)
    jvm = [require_java("Kafka"), "-Xmx512m", "-cp", classpath]
    properties = kafka_dir / "server.properties"
    properties.write_text(sasl_properties(kafka_dir))
    scram = f"SCRAM-SHA-512=[name={USER},password={PASSWORD}]"
    run_setup([*jvm, "kafka.tools.StorageTool", "format", "--standalone", "-t", "mgi-sasl-test-0A",
               "-c", str(properties), "--add-scram", scram], "formatting the SASL broker", 120)  # fmt: skip
    paths = ProcessPaths.of(kafka_dir, "kafka")
    processes.start(LaunchSpec("kafka-sasl", [*jvm, "kafka.Kafka", str(properties)], SASL_PORT),
                    paths)  # fmt: skip
    try:
        alive = lambda: processes.running_pid(paths) is not None  # noqa: E731
        settings = service_settings(PASSWORD)
        asyncio.run(wait_until(kafka_probe(settings), 120, "the SASL broker", alive))
        yield f"127.0.0.1:{SASL_PORT}"
    finally:
        processes.stop(paths)


def service_settings(password: str) -> ServiceSettings:
    return ServiceSettings(
        service_name="sasltest",
        kafka_bootstrap_servers=f"127.0.0.1:{SASL_PORT}",
        kafka_security_protocol="SASL_PLAINTEXT",
        kafka_sasl_username=USER,
        kafka_sasl_password=password,
    )


async def test_services_and_the_cli_reach_a_scram_broker_with_the_kafka_settings(
    sasl_broker: str,
) -> None:
    settings = service_settings(PASSWORD)
    topic = f"mgi.test.sasl-{uuid4().hex[:8]}.v1"
    created = await ensure_topics(sasl_broker, specs=[TopicSpec(topic, 1, "test")],
                                  options=client_options(settings))  # fmt: skip
    assert created == [topic]
    broker = make_broker(settings)
    await broker.start()
    try:
        await broker.publish(b"over SASL", topic, key=b"k")
    finally:
        await broker.stop()
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=sasl_broker, auto_offset_reset="earliest",
                                group_id=f"g-{uuid4().hex}", **client_options(settings))  # fmt: skip
    await consumer.start()
    try:
        record = await asyncio.wait_for(consumer.getone(), 30)
    finally:
        await consumer.stop()
    assert record.value == b"over SASL"


async def test_a_wrong_password_is_refused(sasl_broker: str) -> None:
    wrong = service_settings("not-the-password")
    with pytest.raises((KafkaError, OSError)):
        await asyncio.wait_for(
            ensure_topics(sasl_broker, specs=[], options=client_options(wrong)), 60
        )
