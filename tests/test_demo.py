"""`mgi demo` as a new user runs it, twice on the same data: the README's first command, and
a smoke test of the whole platform (it exits non-zero when a step does not happen)."""

import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import pytest

from mgi_shared.net import free_port
from mgi_shared.testing.stack import running_stack

pytestmark = pytest.mark.e2e

# Below the ephemeral range (32768-60999), where an outgoing client socket could hold them.
PORTS = {"INTAKE_PORT": 28281, "SCORING_PORT": 28282,
         "PUBLISHING_PORT": 28283, "NOTIFICATIONS_PORT": 28284}  # fmt: skip


def mgi(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mgi_cli.main", *args], env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def test_the_demo_plays_the_rollout_through_every_service_and_can_be_played_again(
    infra,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    # An instance of its own: other tests' assessments on the shared broker stay theirs.
    # No SMTP_HOST: the demo runs its own mail server, on the port the services send to.
    # Spans to the stack's own trace receiver, whose trace of one submission the demo shows.
    settings = {"SMTP_PORT": str(free_port()), "COLUMNS": "200", "OTEL_TRACES_EXPORTER": "otlp",
                "MGI_TRACES_PORT": str(free_port()), "OTEL_BSP_SCHEDULE_DELAY": "500"}  # fmt: skip
    admin = "demo-admin-" + uuid4().hex
    with running_stack(infra, data_dir, PORTS, admin, "demo", extra_env=settings) as env:
        env.pop("SMTP_HOST", None)
        runs = [mgi(env, "demo"), mgi(env, "demo")]
    for run in runs:
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        assert run.stdout.count("│ published") == 5, run.stdout
        assert "every signature verified" in run.stdout
        assert "answered 200 and stored once" in run.stdout
        assert (
            "mgi-intake, mgi-notifications" in run.stdout
            and "show it with `mgi trace" in run.stdout
        )
    mail_runs = sorted((data_dir / "mail").iterdir())
    assert len(mail_runs) == 2
    for folder in mail_runs:
        mails = [path.read_text() for path in folder.glob("*.eml")]
        assert mails and all("Subject: [MGI]" in mail for mail in mails)
        assert {"Content-Language: en", "Content-Language: es"} <= {
            line for mail in mails for line in mail.splitlines() if line.startswith("Content-Lang")
        }
    pages = list((data_dir / "portal").glob("*/*/index.html"))
    assert len(pages) == 10, sorted(str(p.relative_to(data_dir)) for p in pages)  # 5 a run
    assert (data_dir / "portal" / "index.html").is_file()
