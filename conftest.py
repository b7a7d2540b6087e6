"""Session-wide real infrastructure for integration tests: one Kafka, one MongoDB-wire database (mongo-java-server).

Started once per test session by the project's own stack code, on ports apart
from a developer's running `mgi stack`, in a throwaway data directory. Point
MGI_TEST_KAFKA / MGI_TEST_MONGODB_URL at running servers to reuse them instead.
"""

import asyncio
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mgi_cli import stack
from mgi_cli.console import log
from mgi_cli.infra import processes
from mgi_shared.settings import PlatformSettings

# Below Linux's ephemeral range (32768-60999): a client socket can never already hold them.
# MGI_TEST_PORT_OFFSET moves them (and the data directory), so two checkouts on one machine
# can each run their suite without sharing, or tearing down, the other's broker and database.
PORT_OFFSET = int(os.environ.get("MGI_TEST_PORT_OFFSET", "0"))
TEST_KAFKA_PORT = 29392 + PORT_OFFSET
TEST_CONTROLLER_PORT = 29393 + PORT_OFFSET
TEST_MONGO_PORT = 27317 + PORT_OFFSET


@dataclass(frozen=True)
class Infra:
    kafka: str
    mongodb_url: str
    data_dir: Path


def _test_stack_config(data_dir: Path) -> stack.StackConfig:
    settings = PlatformSettings(
        kafka_bootstrap_servers=f"127.0.0.1:{TEST_KAFKA_PORT}",
        mongodb_url=f"mongodb://127.0.0.1:{TEST_MONGO_PORT}",
        mgi_data_dir=data_dir,
    )
    return stack.StackConfig(
        settings=settings,
        data_dir=data_dir,
        cache_dir=Path(os.environ.get("MGI_CACHE_DIR", Path.home() / ".cache" / "mgi")),
        manage_kafka=True,
        manage_database=True,
        kafka_host="127.0.0.1",
        kafka_port=TEST_KAFKA_PORT,
        controller_port=TEST_CONTROLLER_PORT,
        mongo_host="127.0.0.1",
        mongo_port=TEST_MONGO_PORT,
    )


@pytest.fixture(scope="session")
def infra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Infra]:
    kafka = os.environ.get("MGI_TEST_KAFKA")
    mongo = os.environ.get("MGI_TEST_MONGODB_URL")
    if kafka and mongo:
        yield Infra(kafka, mongo, tmp_path_factory.mktemp("mgi-data"))
        return
    # A fixed place, so a run killed mid-way is cleaned up by the next one.
    data_dir = Path(tempfile.gettempdir()) / f"mgi-test-infra-{os.getuid()}-{PORT_OFFSET}"
    config = _test_stack_config(data_dir)
    # Reuse test infrastructure someone left running (e.g. a parallel session); else start fresh.
    started_here = not all(
        processes.running_pid(config.paths(name)) for name in ("kafka", "mongodb")
    )
    if started_here:
        stack.down(config, log, wipe=True)
    try:
        asyncio.run(stack.up(config, log, services=()))
        yield Infra(config.settings.kafka_bootstrap_servers, config.settings.mongodb_url, data_dir)
    finally:
        if started_here:
            stack.down(config, log)
