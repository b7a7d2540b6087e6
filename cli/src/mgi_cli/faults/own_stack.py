"""The fault run's own stack: broker, database and services on ports and a data directory of
its own, apart from the operator's `mgi stack`, with its mail server and portal as settings.

Faults are what an operator would see: SIGKILL of a process group, a stop and start of the
broker or database (by pid, as `mgi stack` does), and `stack.up` to bring back what is down.
"""

import contextlib
import os
import shutil
import signal
import time
from dataclasses import dataclass, replace
from pathlib import Path

from mgi_cli import stack
from mgi_cli.console import log
from mgi_cli.infra import kafka_cluster, processes
from mgi_shared.contracts.topics import SERVICES
from mgi_shared.net import free_port
from mgi_shared.settings import PlatformSettings


@dataclass(frozen=True)
class Endpoints:
    """Where the run's own receivers listen, which the services are told about."""

    smtp_port: int
    portal_port: int
    webhook_port: int


class FaultStack:
    def __init__(self, data_dir: Path, endpoints: Endpoints, kafka_brokers: int = 1) -> None:
        ports = {service: free_port() for service in SERVICES}
        kafka_port, controller_port = _cluster_port(kafka_brokers), _cluster_port(kafka_brokers)
        mongo_port = free_port()
        settings = PlatformSettings(
            kafka_bootstrap_servers=f"127.0.0.1:{kafka_port}",
            mongodb_url=f"mongodb://127.0.0.1:{mongo_port}",
            mgi_data_dir=data_dir,
            intake_port=ports["intake"], scoring_port=ports["scoring"],
            publishing_port=ports["publishing"], notifications_port=ports["notifications"],
        )  # fmt: skip
        extra = {f"{service.upper()}_PORT": str(port) for service, port in ports.items()}
        extra.update(
            SMTP_HOST="127.0.0.1", SMTP_PORT=str(endpoints.smtp_port),
            PORTAL_URL=f"http://127.0.0.1:{endpoints.portal_port}",
            OTEL_SDK_DISABLED="true", MGI_WEBHOOK_ALLOW_PRIVATE="true",
        )  # fmt: skip
        base = stack.StackConfig.from_environment()
        self.config = replace(
            base, settings=settings, data_dir=data_dir.resolve(), manage_kafka=True,
            manage_database=True, kafka_host="127.0.0.1", kafka_port=kafka_port,
            controller_port=controller_port, mongo_host="127.0.0.1", mongo_port=mongo_port,
            manage_traces=False, service_extra_env=extra,
        )  # fmt: skip
        self.config = self.config.with_brokers(kafka_brokers)
        self.admin_key = ""

    def names_of(self, component: str) -> list[str]:
        """`kafka` is every broker of a cluster (kafka-1, kafka-2, kafka-3)."""
        if component == "kafka" and self.config.kafka_brokers > 1:
            return [f"kafka-{n}" for n in range(1, self.config.kafka_brokers + 1)]
        return [component]

    @property
    def settings(self) -> PlatformSettings:
        return self.config.settings

    async def up(self) -> None:
        """Start whatever is not running (all of it the first time) and wait until ready."""
        self.admin_key = await stack.up(self.config, _quiet)

    def pid(self, name: str) -> int | None:
        return processes.running_pid(self.config.paths(name))

    def kill(self, name: str) -> None:
        """SIGKILL the component's process group: no shutdown hook runs."""
        pid = self.pid(name)
        if pid is None:
            raise RuntimeError(f"{name} is not running")
        os.killpg(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while self.pid(name) is not None and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.05)

    def stop(self, name: str) -> None:
        """SIGTERM, as an operator's restart would (SIGKILL after 30 s)."""
        processes.stop(self.config.paths(name))

    def down(self, keep: bool) -> None:
        stack.down(self.config, _quiet)
        if not keep:
            for part in ("kafka", "mongodb", "portal"):
                shutil.rmtree(self.config.data_dir / part, ignore_errors=True)
            for path in self.config.data_dir.glob("kafka-*"):
                shutil.rmtree(path, ignore_errors=True)


def _cluster_port(brokers: int) -> int:
    """A free port whose cluster siblings (+100, +200: mgi_cli.infra.kafka_cluster) are free
    and below the ephemeral range too."""
    step = kafka_cluster.PORT_STEP
    for _ in range(50):
        port = free_port()
        siblings = [port + step * n for n in range(1, brokers)]
        if all(p < 32768 and not processes.port_in_use("127.0.0.1", p) for p in siblings):
            return port
    raise RuntimeError("no free ports for the Kafka cluster")


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def _quiet(message: str) -> None:
    """The stack's start-up lines, without the admin key it prints on first start."""
    if "admin API key" not in message:
        log(message)
