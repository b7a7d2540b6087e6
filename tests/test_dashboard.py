"""The Grafana dashboard under deploy/ queries only metrics the services export."""

import json
import re
from pathlib import Path

import pytest

import mgi_notifications.adapters.metrics
import mgi_publishing.metrics  # noqa: F401  (registers publishing's metrics)
from mgi_shared.metrics import REGISTRY

pytestmark = pytest.mark.unit

DASHBOARD = Path(__file__).resolve().parents[1] / "deploy" / "grafana" / "mgi-dashboard.json"


def exported_names() -> set[str]:
    names = set()
    for metric in REGISTRY.collect():
        names.add(metric.name)
        names.update(f"{metric.name}{suffix}" for suffix in ("_total", "_bucket", "_sum", "_count"))
    return names


def test_every_dashboard_query_names_an_exported_metric() -> None:
    assert mgi_notifications.adapters.metrics.SEND_ATTEMPTS is not None
    panels = json.loads(DASHBOARD.read_text())["panels"]
    queried = {
        name
        for panel in panels
        for target in panel["targets"]
        for name in re.findall(r"\b(mgi_[a-z_]+)\b", target["expr"])
    }
    assert queried and queried <= exported_names(), queried - exported_names()
