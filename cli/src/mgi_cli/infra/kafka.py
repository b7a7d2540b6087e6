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
import hashlib
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path

from mgi_cli.infra.launch import LaunchSpec
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
MIN_JAVA = 17
MVN_TIMEOUT_S = 900
FORMAT_TIMEOUT_S = 120
_INSTALL_JAVA = "a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)"
_INSTALL_MAVEN = "Apache Maven 3.8+ (Debian: apt-get install maven)"


def ensure_classpath(repo_root: Path, cache_dir: Path, log: Callable[[str], None]) -> str:
    """Return the broker's classpath, resolving it with Maven only when the cache is stale.

    Maven needs tens of seconds and the network on a fresh machine, so its answer is cached,
    keyed by the Kafka version (file name) and by a hash of the pom (first line), and trusted
    only while every jar it names is still in the local Maven repository.
    """
    pom = repo_root / POM
    cache_file = cache_dir / f"kafka-{KAFKA_VERSION}.classpath"
    digest = _file_digest(pom)
    cached = _read_cached_classpath(cache_file, digest)
    if cached is not None:
        return cached
    _require_tool("java", _INSTALL_JAVA)
    mvn = _require_tool("mvn", _INSTALL_MAVEN)
    log(f"resolving Kafka {KAFKA_VERSION} from Maven Central (first run only, about a minute)")
    classpath = _resolve_classpath(mvn, pom, cache_dir)
    _write_atomically(cache_file, f"pom-sha256 {digest}\n{classpath}\n")
    return classpath


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
    java = _require_java()
    classpath = ensure_classpath(repo_root, cache_dir, log)
    kafka_dir = data_dir / "kafka"
    properties = _write_server_properties(kafka_dir, host, port, controller_port)
    jvm = [java, *JVM_OPTIONS, *_logging_options(repo_root, kafka_dir), "-cp", classpath]
    _format_storage_once(jvm, kafka_dir, properties, log)
    argv = [*jvm, "kafka.Kafka", str(properties)]
    return LaunchSpec(name="kafka", argv=argv, port=port, cwd=kafka_dir)


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
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def _write_server_properties(kafka_dir: Path, host: str, port: int, controller_port: int) -> Path:
    """Rewrite server.properties on every start, so changed ports take effect."""
    path = kafka_dir / "server.properties"
    _write_atomically(path, server_properties(kafka_dir, host, port, controller_port))
    return path


def _logging_options(repo_root: Path, kafka_dir: Path) -> list[str]:
    """Point log4j2 at the project's config; Kafka 4 ignores the log4j 1 key."""
    config = (repo_root / LOG4J2_CONFIG).resolve()
    return [
        f"-Dlog4j2.configurationFile={config.as_uri()}",
        f"-Dkafka.logs.dir={kafka_dir / 'logs'}",
    ]


def _format_storage_once(
    jvm: list[str], kafka_dir: Path, properties: Path, log: Callable[[str], None]
) -> None:
    """Format the KRaft storage unless it already is: reformatting would mean losing data."""
    if (kafka_dir / "data" / "meta.properties").exists():
        return
    cluster_id = _cluster_id(kafka_dir / "cluster.id")
    log(f"formatting Kafka storage in {kafka_dir / 'data'} (cluster {cluster_id})")
    format_argv = [*jvm, "kafka.tools.StorageTool", "format", "--standalone"]
    format_argv += ["-t", cluster_id, "-c", str(properties)]
    run_setup(format_argv, "formatting the Kafka storage", FORMAT_TIMEOUT_S)


def _cluster_id(path: Path) -> str:
    """Create the cluster id once and keep it, so a retried format uses the same id."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    cluster_id = _random_kafka_uuid()
    _write_atomically(path, cluster_id + "\n")
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


def _resolve_classpath(mvn: str, pom: Path, cache_dir: Path) -> str:
    """Ask Maven for the classpath; jars stay in ~/.m2 and nothing is copied."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    output_file = cache_dir / f"kafka-{KAFKA_VERSION}.classpath.mvn-{os.getpid()}"
    argv = [mvn, "-q", "-B", "-Dstyle.color=never", "-f", str(pom), "dependency:build-classpath"]
    argv.append(f"-Dmdep.outputFile={output_file}")
    try:
        run_setup(argv, "resolving Kafka with Maven", MVN_TIMEOUT_S)
        classpath = output_file.read_text(encoding="utf-8").strip()
    finally:
        output_file.unlink(missing_ok=True)
    if not classpath:
        raise RuntimeError(f"Maven produced an empty Kafka classpath from {pom}")
    return classpath


def _read_cached_classpath(cache_file: Path, digest: str) -> str | None:
    """Return the cached classpath if it was made from this pom and all its jars exist."""
    try:
        header, classpath = cache_file.read_text(encoding="utf-8").split("\n", 1)
    except (OSError, ValueError):
        return None
    classpath = classpath.strip()
    if header != f"pom-sha256 {digest}" or not classpath:
        return None
    if not all(Path(entry).is_file() for entry in classpath.split(os.pathsep)):
        return None
    return classpath


def _require_java() -> str:
    """Find java and check its version: Kafka 4 brokers need Java 17 or later."""
    java = _require_tool("java", _INSTALL_JAVA)
    result = subprocess.run(
        [java, "-version"], capture_output=True, text=True, timeout=60, check=False
    )
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    major = _java_major(match.group(1), match.group(2)) if match else 0
    if major < MIN_JAVA:
        raise RuntimeError(
            f"Kafka {KAFKA_VERSION} needs Java {MIN_JAVA}+, but {java} is Java {major or '?'}: "
            f"install {_INSTALL_JAVA}"
        )
    return java


def _java_major(first: str, second: str | None) -> int:
    """Read the major version from both the old "1.8.0" and the modern "17.0.15" schemes."""
    if first == "1" and second is not None:
        return int(second)
    return int(first)


def _require_tool(name: str, what_to_install: str) -> str:
    """Locate an executable on PATH, or fail saying what to install."""
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"`{name}` was not found on PATH: install {what_to_install}")
    return path


def _file_digest(path: Path) -> str:
    """Hash a file, so that editing the pom invalidates the cached classpath."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file, so a crash never leaves a half-written file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
