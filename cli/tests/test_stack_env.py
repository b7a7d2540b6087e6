"""What `mgi stack up` hands its services besides the platform's variables."""

from pathlib import Path

import pytest

from mgi_cli.stack import StackConfig
from mgi_shared.settings import PlatformSettings


def config(tmp_path: Path) -> StackConfig:
    return StackConfig(
        settings=PlatformSettings(mgi_data_dir=tmp_path), data_dir=tmp_path, cache_dir=tmp_path,
        manage_kafka=False, manage_database=False, kafka_host="127.0.0.1", kafka_port=9092,
        controller_port=9093, mongo_host="127.0.0.1", mongo_port=27017,
    )  # fmt: skip


def test_local_stack_lets_webhooks_reach_this_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MGI_WEBHOOK_ALLOW_PRIVATE", raising=False)
    assert config(tmp_path).service_env("t")["MGI_WEBHOOK_ALLOW_PRIVATE"] == "true"
    monkeypatch.setenv("MGI_WEBHOOK_ALLOW_PRIVATE", "false")
    assert config(tmp_path).service_env("t")["MGI_WEBHOOK_ALLOW_PRIVATE"] == "false"
