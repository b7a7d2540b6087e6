"""A three-node KRaft cluster from the same Maven artifacts as the single broker
(`mgi stack up --kafka-brokers 3`): each node is broker and controller, the controller
quorum is the three of them (static voters), and every internal topic is replicated three
times with two in sync required, as the platform's own topics are (mgi_shared.kafka).

Node n (1, 2, 3) listens for clients on `kafka_port + 100 * (n - 1)` and for the quorum on
`controller_port + 100 * (n - 1)`; its data, logs and properties live in data_dir/kafka-n.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mgi_cli.infra import kafka
from mgi_cli.infra.java import require_java
from mgi_cli.infra.launch import LaunchSpec
from mgi_cli.infra.maven import write_atomically

PORT_STEP = 100
REPLICATION = 3
MIN_INSYNC = 2
# Three brokers share the machine with the database and four services: a smaller heap each.
NODE_JVM_OPTIONS = ["-Xms128m", "-Xmx384m", *kafka.JVM_OPTIONS[2:]]


@dataclass(frozen=True)
class Node:
    node_id: int
    port: int
    controller_port: int

    @property
    def name(self) -> str:
        return f"kafka-{self.node_id}"


def nodes(kafka_port: int, controller_port: int, count: int) -> list[Node]:
    return [
        Node(n, kafka_port + PORT_STEP * (n - 1), controller_port + PORT_STEP * (n - 1))
        for n in range(1, count + 1)
    ]


def bootstrap_servers(host: str, members: list[Node]) -> str:
    return ",".join(f"{host}:{node.port}" for node in members)


def node_properties(node_dir: Path, host: str, node: Node, members: list[Node]) -> str:
    voters = ",".join(f"{m.node_id}@{host}:{m.controller_port}" for m in members)
    listeners = f"PLAINTEXT://{host}:{node.port},CONTROLLER://{host}:{node.controller_port}"
    settings = {
        "process.roles": "broker,controller",
        "node.id": str(node.node_id),
        "controller.quorum.voters": voters,
        "listeners": listeners,
        "advertised.listeners": listeners,
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "log.dirs": str(node_dir / "data"),
        "num.partitions": "6",
        "auto.create.topics.enable": "false",
        "default.replication.factor": str(REPLICATION),
        "min.insync.replicas": str(MIN_INSYNC),
        "offsets.topic.replication.factor": str(REPLICATION),
        "transaction.state.log.replication.factor": str(REPLICATION),
        "transaction.state.log.min.isr": str(MIN_INSYNC),
        "share.coordinator.state.topic.replication.factor": str(REPLICATION),
        "share.coordinator.state.topic.min.isr": str(MIN_INSYNC),
        "unclean.leader.election.enable": "false",
        "group.initial.rebalance.delay.ms": "0",
        **kafka.COORDINATOR_TUNING,
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def prepare(
    repo_root: Path, data_dir: Path, cache_dir: Path, host: str, kafka_port: int,
    controller_port: int, count: int, log: Callable[[str], None],
) -> list[tuple[LaunchSpec, int]]:  # fmt: skip
    """Configure and format each node once; (how to start it, its controller port) per node."""
    java = require_java(f"Kafka {kafka.KAFKA_VERSION}")
    classpath = kafka.ensure_classpath(repo_root, cache_dir, log)
    members = nodes(kafka_port, controller_port, count)
    specs = []
    for node in members:
        node_dir = data_dir / node.name
        properties = node_dir / "server.properties"
        write_atomically(properties, node_properties(node_dir, host, node, members))
        options = kafka.logging_options(repo_root, node_dir)
        jvm = [java, *NODE_JVM_OPTIONS, *options, "-cp", classpath]
        kafka.format_storage_once(jvm, node_dir, properties, log, data_dir / "kafka-cluster.id")
        spec = LaunchSpec(name=node.name, argv=[*jvm, "kafka.Kafka", str(properties)],
                          port=node.port, cwd=node_dir)  # fmt: skip
        specs.append((spec, node.controller_port))
    return specs
