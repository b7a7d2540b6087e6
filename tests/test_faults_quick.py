"""`mgi faults` in a short form, as an operator runs it: a stack of its own (its own broker,
database, services, mail server, webhook receiver and portal, on free ports and in a data
directory of its own), 200 submissions, a service killed mid-stream and poison records
interleaved on the inbound topic. Nothing lost, nothing twice, or the command fails."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mgi_shared.testing.stack import OUTSIDE_SETTINGS

pytestmark = pytest.mark.e2e

SHORT_FORM = ["--submissions", "200", "--scenarios", "kill-scoring,poison", "--outage", "3",
              "--max-wait", "120"]  # fmt: skip


def test_a_killed_service_and_poison_records_lose_nothing_and_do_nothing_twice(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(OUTSIDE_SETTINGS)}
    env.update(COLUMNS="200", MGI_DATA_DIR=str(tmp_path / "operator"))
    for name in ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URL", "SMTP_HOST", "SMTP_PORT"):
        env.pop(name, None)
    data_dir = tmp_path / "faults"
    run = subprocess.run(
        [sys.executable, "-m", "mgi_cli.main", "faults", *SHORT_FORM, "--data-dir", str(data_dir)],
        env=env, capture_output=True, text=True, timeout=420,
    )  # fmt: skip
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    assert "all 2 scenarios passed" in run.stdout
    report = json.loads((data_dir / "faults.json").read_text())
    assert list(report) == ["kill-scoring", "poison"]
    for found in report.values():
        assert found["acknowledged"] == found["stored"] == 200, found
        assert found["stored_twice"] == found["lost"] == 0, found
        assert found["results_same"] == found["results_total"] == 10, found
        assert found["webhooks_sent"] == found["webhooks_expected"] == 220, found
        assert found["mails_sent"] == found["mails_expected"] == 20, found
        assert found["webhooks_twice"] == found["mails_twice"] == 0, found
        assert found["published"] == found["validated"] == 2, found
        assert found["recovery_seconds"] is not None, found
    # Not JSON, wrong schema, unknown assessment and 2 MiB, each on the rejected topic.
    assert report["poison"]["poison_rejected"] == report["poison"]["poison_sent"] == 4
    # The run's stack is stopped, its logs kept, its broker and database data removed.
    assert (data_dir / "logs" / "intake.log").is_file()
    assert not (data_dir / "kafka").exists() and not (data_dir / "mongodb").exists()
