"""A real single-node Apache Kafka broker (KRaft, broker and controller in one) for local use.

No Docker and no tarball: the broker's jars come from Maven Central through the small pom in
deploy/local/kafka, and the JVM is started directly on the classpath Maven computes. Verified
with aiokafka 0.14 (admin, idempotent producer, group consumer with manual commits, restart).

Readiness: the client port accepts connections about when the broker can serve metadata, but
the group coordinator loads __consumer_offsets a few hundred ms later, and aiokafka 0.14
ignores OffsetFetch's top-level error (NOT_COORDINATOR / COORDINATOR_LOAD_IN_PROGRESS), so a
`committed()` in that window returns None as if nothing had been committed.
"""

import base64
import uuid
from collections.abc import Callable
from pathlib import Path

from mgi_cli.infra import maven
from mgi_cli.infra.java import require_java
from mgi_cli.infra.launch import LaunchSpec
from mgi_cli.infra.maven import write_atomically
from mgi_cli.infra.setup_commands import run_setup

KAFKA_VERSION = "4.1.1"

POM = Path("deploy/local/kafka/pom.xml")
LOG4J2_CONFIG = Path("deploy/local/kafka/log4j2.yaml")
JVM_OPTIONS = [
    "-Xms256m",
    "-Xmx1g",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
]
FORMAT_TIMEOUT_S = 120


def ensure_classpath(repo_root: Path, cache_dir: Path, log: Callable[[str], None]) -> str:
    """The broker's classpath, resolved by Maven once and cached (see mgi_cli.infra.maven)."""
    cache_file = cache_dir / f"kafka-{KAFKA_VERSION}.classpath"
    return maven.ensure_classpath(repo_root / POM, cache_file, f"Kafka {KAFKA_VERSION}", log)


def prepare(
    repo_root: Path,
    data_dir: Path,
    cache_dir: Path,
    host: str,
    port: int,
    controller_port: int,
    log: Callable[[str], None],
) -> LaunchSpec:
    """Configure and format the broker's directory once, and say how to start it.

    Everything lives under data_dir/kafka, so the data (and committed offsets) survive
    restarts; the storage is formatted only the first time, with a cluster id kept on disk.
    """
    java = require_java(f"Kafka {KAFKA_VERSION}")
    classpath = ensure_classpath(repo_root, cache_dir, log)
    kafka_dir = data_dir / "kafka"
    properties = _write_server_properties(kafka_dir, host, port, controller_port)
    jvm = [java, *JVM_OPTIONS, *logging_options(repo_root, kafka_dir), "-cp", classpath]
    format_storage_once(jvm, kafka_dir, properties, log)
    argv = [*jvm, "kafka.Kafka", str(properties)]
    return LaunchSpec(name="kafka", argv=argv, port=port, cwd=kafka_dir)


# Kafka 4's group coordinator holds each write (an offset commit) for 5 ms by default, to gather
# others: measured on this stack, a commit then took 7 ms and 2.5 ms of the broker's CPU, without
# it 0.9 ms and 0.9 ms. A handful of consumers commit here, too few to gather anything.
COORDINATOR_TUNING = {"group.coordinator.append.linger.ms": "0"}


def server_properties(kafka_dir: Path, host: str, port: int, controller_port: int) -> str:
    """Render a single-node KRaft configuration sized for one replica of everything.

    Internal topics default to replication factor 3, which a single broker cannot satisfy:
    consumer groups and transactions would then fail. Topics are created explicitly by the
    platform, so auto-creation stays off to catch typos in topic names.
    """
    settings = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.bootstrap.servers": f"{host}:{controller_port}",
        "listeners": f"PLAINTEXT://{host}:{port},CONTROLLER://{host}:{controller_port}",
        "advertised.listeners": f"PLAINTEXT://{host}:{port},CONTROLLER://{host}:{controller_port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "log.dirs": str(kafka_dir / "data"),
        "num.partitions": "6",
        "auto.create.topics.enable": "false",
        "offsets.topic.replication.factor": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "group.initial.rebalance.delay.ms": "0",
        **COORDINATOR_TUNING,
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def _write_server_properties(kafka_dir: Path, host: str, port: int, controller_port: int) -> Path:
    """Rewrite server.properties on every start, so changed ports take effect."""
    path = kafka_dir / "server.properties"
    write_atomically(path, server_properties(kafka_dir, host, port, controller_port))
    return path


def logging_options(repo_root: Path, kafka_dir: Path) -> list[str]:
    """Point log4j2 at the project's config; Kafka 4 ignores the log4j 1 key."""
    config = (repo_root / LOG4J2_CONFIG).resolve()
    return [
        f"-Dlog4j2.configurationFile={config.as_uri()}",
        f"-Dkafka.logs.dir={kafka_dir / 'logs'}",
    ]


def format_storage_once(
    jvm: list[str],
    kafka_dir: Path,
    properties: Path,
    log: Callable[[str], None],
    cluster_id_file: Path | None = None,
) -> None:
    """Format the KRaft storage unless it already is: reformatting would mean losing data.

    A single node formats itself as the one controller (`--standalone`); a node of a cluster
    (`cluster_id_file` shared by its nodes) names the static quorum in its properties
    (`controller.quorum.voters`), which the format reads.
    """
    if (kafka_dir / "data" / "meta.properties").exists():
        return
    cluster_id = _cluster_id(cluster_id_file or kafka_dir / "cluster.id")
    log(f"formatting Kafka storage in {kafka_dir / 'data'} (cluster {cluster_id})")
    format_argv = [*jvm, "kafka.tools.StorageTool", "format"]
    format_argv += [] if cluster_id_file else ["--standalone"]
    format_argv += ["-t", cluster_id, "-c", str(properties)]
    run_setup(format_argv, "formatting the Kafka storage", FORMAT_TIMEOUT_S)


def _cluster_id(path: Path) -> str:
    """Create the cluster id once and keep it, so a retried format uses the same id."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    cluster_id = _random_kafka_uuid()
    write_atomically(path, cluster_id + "\n")
    return cluster_id


def _random_kafka_uuid() -> str:
    """Mint an id as Kafka's Uuid.randomUuid does, without starting a JVM for it.

    Kafka prints a UUID as URL-safe base64 without padding and never hands out one that
    starts with "-", which command-line parsers would take for an option.
    """
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode("ascii").rstrip("=")
        if not text.startswith("-"):
            return text
