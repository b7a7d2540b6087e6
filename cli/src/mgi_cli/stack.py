"""`mgi stack up | down | status`: the local broker, database and four services, by pid."""

import asyncio
import os
import secrets
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

from mgi_cli.infra import kafka, kafka_cluster, mongodb, processes
from mgi_cli.infra.launch import LaunchSpec
from mgi_cli.infra.processes import ProcessPaths
from mgi_cli.infra.readiness import (
    NotReadyError,
    Probe,
    http_ready_probe,
    kafka_probe,
    mongo_probe,
    wait_until,
)
from mgi_cli.traces.receiver import DEFAULT_PORT as DEFAULT_TRACES_PORT
from mgi_shared.contracts.topics import SERVICES
from mgi_shared.kafka.create_topics import ensure_topics
from mgi_shared.kafka.security import client_options
from mgi_shared.settings import PlatformSettings

REPO_ROOT = Path(__file__).resolve().parents[3]
Log = Callable[[str], None]
BROKERS_FILE = "kafka-brokers"  # how many brokers `up` started: `status` and `down` read it


class StackError(RuntimeError):
    """Something the operator must fix; the message says what."""


@dataclass(frozen=True)
class StackConfig:
    settings: PlatformSettings
    data_dir: Path
    cache_dir: Path
    manage_kafka: bool
    manage_database: bool
    kafka_host: str
    kafka_port: int
    controller_port: int
    mongo_host: str
    mongo_port: int
    # The local OTLP receiver (mgi_cli.traces): run when nothing else is set to receive spans.
    manage_traces: bool = False
    traces_port: int = DEFAULT_TRACES_PORT
    # Settings for the services on top of the process's environment (ports, SMTP, portal),
    # for a stack that a command runs apart from the operator's (`mgi faults`).
    service_extra_env: Mapping[str, str] = field(default_factory=dict)
    kafka_brokers: int = 1  # 3: a replicated KRaft cluster (see mgi_cli.infra.kafka_cluster)

    @classmethod
    def from_environment(cls, kafka_brokers: int | None = None) -> "StackConfig":
        """Start our own broker/database unless the variables point at running ones.
        `kafka_brokers`: 3 for a local cluster; by default what the last `up` started."""
        settings = own_ports(PlatformSettings(), os.environ)
        kafka_host, _, kafka_port = settings.kafka_bootstrap_servers.split(",")[0].rpartition(":")
        mongo = urlparse(settings.mongodb_url)
        config = cls(
            settings=settings,
            data_dir=settings.mgi_data_dir.resolve(),
            cache_dir=Path(os.environ.get("MGI_CACHE_DIR", Path.home() / ".cache" / "mgi")),
            manage_kafka="KAFKA_BOOTSTRAP_SERVERS" not in os.environ,
            manage_database="MONGODB_URL" not in os.environ,
            kafka_host=kafka_host or "127.0.0.1",
            kafka_port=int(kafka_port or 9092),
            controller_port=int(os.environ.get("MGI_KAFKA_CONTROLLER_PORT", "9093")),
            mongo_host=mongo.hostname or "127.0.0.1",
            mongo_port=mongo.port or 27017,
            manage_traces=wants_local_receiver(os.environ),
            traces_port=int(os.environ.get("MGI_TRACES_PORT", DEFAULT_TRACES_PORT)),
        )
        return config.with_brokers(kafka_brokers or config.started_brokers())

    def started_brokers(self) -> int:
        """How many brokers the last `up` started here (1 unless it was a cluster)."""
        path = self.data_dir / BROKERS_FILE
        return int(path.read_text().strip()) if path.is_file() else 1

    def with_brokers(self, count: int) -> "StackConfig":
        """A local cluster of `count` brokers: clients bootstrap from all of them."""
        if count == 1 or not self.manage_kafka:
            return replace(self, kafka_brokers=count)
        members = kafka_cluster.nodes(self.kafka_port, self.controller_port, count)
        servers = kafka_cluster.bootstrap_servers(self.kafka_host, members)
        settings = self.settings.model_copy(update={"kafka_bootstrap_servers": servers})
        return replace(self, settings=settings, kafka_brokers=count)

    def paths(self, name: str) -> ProcessPaths:
        return ProcessPaths.of(self.data_dir, name)

    def service_env(self, admin_token: str) -> dict[str, str]:
        traces = (
            {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{self.traces_port}"}
            if self.manage_traces
            else {}
        )
        return {
            **traces,
            "KAFKA_BOOTSTRAP_SERVERS": self.settings.kafka_bootstrap_servers,
            "MONGODB_URL": self.settings.mongodb_url,
            "MGI_DATA_DIR": str(self.data_dir),
            "MGI_ADMIN_TOKEN": admin_token,
            # The local stack's webhooks go to receivers on this machine (contract section 1);
            # Compose and Kubernetes leave it off. An operator's explicit value still wins.
            "MGI_WEBHOOK_ALLOW_PRIVATE": os.environ.get("MGI_WEBHOOK_ALLOW_PRIVATE", "true"),
            # glibc gives each thread that allocates (the span exporter's, the executor's) an
            # arena of its own, and freed memory stays spread over them: two arenas keep a
            # service's peak RSS lower at no measurable CPU cost (also in services/Dockerfile).
            "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),
            **self.service_extra_env,
        }


def own_ports(settings: PlatformSettings, environ: Mapping[str, str]) -> PlatformSettings:
    """MGI_KAFKA_PORT / MGI_MONGODB_PORT: where the broker and database that `up` starts
    itself listen (9092, 27017), for a second stack beside another on one machine."""
    update: dict[str, str] = {}
    if "KAFKA_BOOTSTRAP_SERVERS" not in environ and environ.get("MGI_KAFKA_PORT"):
        update["kafka_bootstrap_servers"] = f"127.0.0.1:{int(environ['MGI_KAFKA_PORT'])}"
    if "MONGODB_URL" not in environ and environ.get("MGI_MONGODB_PORT"):
        update["mongodb_url"] = f"mongodb://127.0.0.1:{int(environ['MGI_MONGODB_PORT'])}"
    return settings.model_copy(update=update) if update else settings


def wants_local_receiver(environ: Mapping[str, str]) -> bool:
    """Run our own receiver when spans would go to OTLP but no endpoint says where."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    if environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or environ.get(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
    ):
        return False
    exporters = environ.get("OTEL_TRACES_EXPORTER", "otlp").lower().split(",")
    return "otlp" in (name.strip() for name in exporters)


def admin_token(config: StackConfig, log: Log) -> str:
    """MGI_ADMIN_TOKEN if given; else the one stored on first start (owner-readable only)."""
    existing = config.settings.admin_key()
    if existing is not None:
        return existing
    token_file = config.settings.admin_token_file
    token = _new_secret_file(token_file)
    log(f"generated the admin API key (stored in {token_file}): {token}")
    return token


def ensure_key_signing_secret(config: StackConfig) -> None:
    """The secret the services sign and verify API key events with: MGI_KEY_SIGNING_SECRET if
    given, else one generated on first start into MGI_DATA_DIR, where the services read it."""
    path = config.settings.key_signing_secret_file
    if config.settings.mgi_key_signing_secret is None and not path.is_file():
        _new_secret_file(path)


def _new_secret_file(path: Path) -> str:
    """A random secret in a file only its owner can read."""
    secret = secrets.token_urlsafe(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(secret)
    return secret


async def up(config: StackConfig, log: Log, services: tuple[str, ...] = SERVICES) -> str:
    """Start what is not running yet and wait until every part answers; returns the admin key."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    token = admin_token(config, log)
    ensure_key_signing_secret(config)
    if config.manage_kafka and config.kafka_brokers > 1:
        await _ensure_cluster(config, log)
    elif config.manage_kafka:
        (config.data_dir / BROKERS_FILE).unlink(missing_ok=True)
        spec = kafka.prepare(
            REPO_ROOT, config.data_dir, config.cache_dir, config.kafka_host,
            config.kafka_port, config.controller_port, log,
        )  # fmt: skip
        await _ensure_running(config, spec, kafka_probe(config.settings),
                              timeout=120, log=log, extra_ports=(config.controller_port,))  # fmt: skip
    else:
        await _require(kafka_probe(config.settings), "Kafka")
    if config.manage_database:
        spec = mongodb.prepare(
            REPO_ROOT, config.data_dir, config.cache_dir, config.mongo_host, config.mongo_port, log
        )
        await _ensure_running(config, spec, mongo_probe(config.settings.mongodb_url),
                              timeout=60, log=log)  # fmt: skip
    else:
        await _require(mongo_probe(config.settings.mongodb_url), "the database")
    if config.manage_traces:
        traces = LaunchSpec(
            name="traces",
            argv=[sys.executable, "-m", "mgi_cli.traces.receiver"],
            port=config.traces_port,
            env={"MGI_DATA_DIR": str(config.data_dir), "MGI_TRACES_PORT": str(config.traces_port)},
        )
        await _ensure_running(config, traces, http_ready_probe(f"http://127.0.0.1:{config.traces_port}"),
                              timeout=30, log=log)  # fmt: skip
    replicated = config.manage_kafka and config.kafka_brokers > 1
    created = await ensure_topics(
        config.settings.kafka_bootstrap_servers,
        kafka_cluster.REPLICATION if replicated else 1,
        options=client_options(config.settings),
        min_insync=kafka_cluster.MIN_INSYNC if replicated else None,
    )
    if created:
        log(f"created {len(created)} topics")
    specs = [
        LaunchSpec(
            name=service,
            argv=[sys.executable, "-m", f"mgi_{service}.main"],
            port=config.settings.port_of(service),
            env=config.service_env(token),
        )
        for service in services
    ]
    # Services start in parallel: each takes seconds to import and connect.
    await asyncio.gather(
        *(
            _ensure_running(
                config,
                spec,
                http_ready_probe(config.settings.url_of(spec.name)),
                timeout=90,
                log=log,
            )
            for spec in specs
        )
    )
    return token


async def _ensure_cluster(config: StackConfig, log: Log) -> None:
    """Every node at once: none is ready before a majority of the quorum runs."""
    (config.data_dir / BROKERS_FILE).write_text(f"{config.kafka_brokers}\n")
    specs = kafka_cluster.prepare(
        REPO_ROOT, config.data_dir, config.cache_dir, config.kafka_host, config.kafka_port,
        config.controller_port, config.kafka_brokers, log,
    )  # fmt: skip

    def probe(spec: LaunchSpec) -> Probe:
        servers = f"{config.kafka_host}:{spec.port}"
        return kafka_probe(config.settings.model_copy(update={"kafka_bootstrap_servers": servers}))

    await asyncio.gather(*(
        _ensure_running(config, spec, probe(spec), timeout=180, log=log,
                        extra_ports=(controller_port,))
        for spec, controller_port in specs
    ))  # fmt: skip


async def _require(probe: Probe, what: str) -> None:
    await wait_until(probe, 30, what, alive=lambda: True)


async def _ensure_running(
    config: StackConfig,
    spec: LaunchSpec,
    probe: Probe,
    *,
    timeout: float,
    log: Log,
    extra_ports: tuple[int, ...] = (),
) -> None:
    paths = config.paths(spec.name)
    if processes.running_pid(paths) is not None:
        await wait_until(probe, timeout, spec.name, alive=lambda: True)
        return
    for port in (spec.port, *extra_ports):
        if processes.port_in_use("127.0.0.1", port):
            raise StackError(
                f"port {port} needed by {spec.name} is already in use by another process; "
                f"stop it or choose another port (see README, 'Configuration')"
            )
    log(f"starting {spec.name} on port {spec.port}")
    processes.start(spec, paths)
    try:
        await wait_until(
            probe, timeout, spec.name, alive=lambda: processes.running_pid(paths) is not None
        )
    except NotReadyError as error:
        tail = processes.log_tail(paths)
        raise StackError(f"{error}; last lines of {paths.log_file}:\n{tail}") from error


def components(config: StackConfig) -> list[tuple[str, int]]:
    """(name, port) of everything `up` may start, in start order."""
    parts: list[tuple[str, int]] = []
    if config.manage_kafka and config.kafka_brokers > 1:
        members = kafka_cluster.nodes(
            config.kafka_port, config.controller_port, config.kafka_brokers
        )
        parts += [(node.name, node.port) for node in members]
    elif config.manage_kafka:
        parts.append(("kafka", config.kafka_port))
    if config.manage_database:
        parts.append(("mongodb", config.mongo_port))
    # Also when a receiver started earlier still runs though an endpoint is now configured,
    # so `down` stops it and `status` shows it.
    if config.manage_traces or processes.running_pid(config.paths("traces")) is not None:
        parts.append(("traces", config.traces_port))
    parts += [(service, config.settings.port_of(service)) for service in SERVICES]
    return parts


def down(config: StackConfig, log: Log, wipe: bool = False) -> None:
    """Stop in reverse order so services finish their in-flight work while Kafka is still up."""
    for name, _ in reversed(components(config)):
        if processes.stop(config.paths(name)):
            log(f"stopped {name}")
    if wipe:
        cluster = ("kafka-1", "kafka-2", "kafka-3", "kafka-cluster.id", BROKERS_FILE)
        for sub in ("kafka", "mongodb", "portal", "logs", "pids", "traces", "admin-token",
                    "key-signing-secret", *cluster):  # fmt: skip
            target = config.data_dir / sub
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
        log(f"wiped data under {config.data_dir}")


def status(config: StackConfig) -> list[tuple[str, str, int | None, int]]:
    """(name, up/down, pid, port) per component."""
    rows: list[tuple[str, str, int | None, int]] = []
    for name, port in components(config):
        pid = processes.running_pid(config.paths(name))
        rows.append((name, "up" if pid is not None else "down", pid, port))
    return rows
