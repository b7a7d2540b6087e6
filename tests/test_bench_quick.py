"""`mgi bench` in its quick form, as an operator runs it, against the session's broker and
database (only the four services start here, on ports of their own)."""

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from mgi_shared.contracts.topics import SERVICES, all_topics
from mgi_shared.testing.kafka import start_services_at_end

pytestmark = pytest.mark.integration

# Below the ephemeral range, apart from the stack and e2e tests' ports.
PORTS = {"INTAKE_PORT": 28481, "SCORING_PORT": 28482,
         "PUBLISHING_PORT": 28483, "NOTIFICATIONS_PORT": 28484}  # fmt: skip
# Smaller still than --quick, to stay near a minute on a busy 2-core machine.
SIZES = ["--duration", "3", "--stored", "60,150", "--pipeline-submissions", "100",
         "--http-submissions", "100", "--rescore-assessments", "5", "--floor-records", "300"]  # fmt: skip
SECTIONS = ("floor", "pipeline", "http_intake", "latency", "stored_levels", "rescore", "rss")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def operator_env(infra, tmp_path: Path) -> Iterator[dict[str, str]]:  # type: ignore[no-untyped-def]
    # Its own instance: empty databases, and consumer groups that start at the topics' ends
    # rather than replaying what earlier tests (or runs) published.
    instance = f"bench{uuid4().hex[:8]}"
    topics = [t.name for t in all_topics()]
    asyncio.run(start_services_at_end(infra.kafka, instance, SERVICES, topics))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "MGI_"))}
    env.update({k: str(v) for k, v in PORTS.items()})
    env.update(KAFKA_BOOTSTRAP_SERVERS=infra.kafka, MONGODB_URL=infra.mongodb_url,
               MGI_DATA_DIR=str(tmp_path / "data"), MGI_INSTANCE=instance,
               OTEL_SDK_DISABLED="true")  # fmt: skip
    yield env
    mgi(env, "stack", "down")


def mgi(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mgi_cli.main", *args], env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def numbers(section: Any) -> list[float]:
    """Every number in a section, however deeply nested."""
    if isinstance(section, dict):
        return [n for value in section.values() for n in numbers(value)]
    if isinstance(section, list):
        return [n for value in section for n in numbers(value)]
    is_number = isinstance(section, int | float) and not isinstance(section, bool)
    return [float(section)] if is_number else []


def test_quick_bench_writes_every_section_and_a_chart(
    operator_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "results"
    run = mgi(operator_env, "bench", "--quick", "--out", str(out), *SIZES)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "to notification p50 / p99" in run.stdout  # the tables print whole to a pipe

    report = json.loads((out / "bench.json").read_text())
    for name in SECTIONS:
        assert any(n > 0 for n in numbers(report[name])), f"{name}: {report[name]}"
    assert report["floor"]["records_per_second"] > 0
    assert report["pipeline"]["results_out"] == report["pipeline"]["submissions"] == 100
    assert report["http_intake"]["accepted"] == 100
    assert report["latency"]["missing"] == 0 and report["latency"]["latency"]["p99"] > 0
    # The run's own webhook subscriber heard of every submission of the fixed load.
    assert report["latency"]["notifications_missing"] == 0
    assert report["latency"]["notified"]["count"] == report["latency"]["offered"]
    levels = report["stored_levels"]["levels"]
    assert [level["run"]["stored"] >= level["seed"]["level"] for level in levels] == [True, True]
    assert report["stored_levels"]["busy_assessment"]["offered"] == 17 * 6
    assert report["rescore"]["completeness"] == 1.0
    assert all(report["rss"][service] > 0 for service in SERVICES)
    assert all(row["x_floor"] is not None for row in report["figures"] if row["unit"] != "x")
    assert (out / "bench.png").read_bytes().startswith(PNG_SIGNATURE)
