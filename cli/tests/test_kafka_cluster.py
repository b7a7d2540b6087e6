"""`mgi stack up --kafka-brokers 3`: the cluster's ports, quorum and replication, as written
into each node's properties, and how `status`/`down` find the nodes again."""

from pathlib import Path

import pytest

from mgi_cli import stack
from mgi_cli.infra import kafka_cluster
from mgi_shared.kafka.broker import bootstrap_list

pytestmark = pytest.mark.unit


def properties(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if line)


def test_each_node_votes_in_one_quorum_of_three_with_replicated_internal_topics(tmp_path: Path) -> None:  # fmt: skip
    members = kafka_cluster.nodes(29700, 29701, 3)
    assert [(n.name, n.port, n.controller_port) for n in members] == [
        ("kafka-1", 29700, 29701), ("kafka-2", 29800, 29801), ("kafka-3", 29900, 29901)]  # fmt: skip
    second = properties(kafka_cluster.node_properties(tmp_path, "127.0.0.1", members[1], members))
    assert second["node.id"] == "2"
    assert second["controller.quorum.voters"] == (
        "1@127.0.0.1:29701,2@127.0.0.1:29801,3@127.0.0.1:29901")  # fmt: skip
    assert second["listeners"] == "PLAINTEXT://127.0.0.1:29800,CONTROLLER://127.0.0.1:29801"
    for key in ("default.replication.factor", "offsets.topic.replication.factor"):
        assert second[key] == "3"
    assert second["min.insync.replicas"] == "2"
    assert second["unclean.leader.election.enable"] == "false"


def test_status_and_down_find_the_nodes_the_last_up_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MGI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MGI_KAFKA_PORT", "29700")
    assert stack.StackConfig.from_environment().kafka_brokers == 1
    (tmp_path / stack.BROKERS_FILE).write_text("3\n")
    config = stack.StackConfig.from_environment()
    assert config.settings.kafka_bootstrap_servers == (
        "127.0.0.1:29700,127.0.0.1:29800,127.0.0.1:29900")  # fmt: skip
    names = [name for name, _ in stack.components(config)]
    assert names[:3] == ["kafka-1", "kafka-2", "kafka-3"] and "kafka" not in names


def test_services_bootstrap_from_each_broker_of_the_list() -> None:
    assert bootstrap_list("h1:9092, h2:9092,h3:9092") == ["h1:9092", "h2:9092", "h3:9092"]
    assert bootstrap_list("127.0.0.1:9092") == ["127.0.0.1:9092"]
