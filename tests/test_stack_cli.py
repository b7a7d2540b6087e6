"""`mgi stack up | status | down` as an operator runs them, against the session's broker and
database (given through KAFKA_BOOTSTRAP_SERVERS / MONGODB_URL, so only services start here)."""

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

# Below the ephemeral range (32768-60999), where an outgoing client socket could hold them.
PORTS = {"INTAKE_PORT": 28081, "SCORING_PORT": 28082,
         "PUBLISHING_PORT": 28083, "NOTIFICATIONS_PORT": 28084}  # fmt: skip


@pytest.fixture
def operator_env(infra, tmp_path: Path) -> Iterator[dict[str, str]]:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "MGI_"))}
    env.update({k: str(v) for k, v in PORTS.items()})
    env.update(KAFKA_BOOTSTRAP_SERVERS=infra.kafka, MONGODB_URL=infra.mongodb_url,
               MGI_DATA_DIR=str(tmp_path / "data"), OTEL_SDK_DISABLED="true")  # fmt: skip
    yield env
    mgi(env, "stack", "down")


def mgi(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mgi_cli.main", *args], env=env,
                          capture_output=True, text=True, timeout=180)  # fmt: skip


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] != "Z"


def status_pids(env: dict[str, str]) -> dict[str, str]:
    lines = mgi(env, "stack", "status").stdout.splitlines()
    return {line.split()[0]: line.split()[2] for line in lines if line.strip()}


def test_up_is_idempotent_and_down_leaves_nothing_running(operator_env: dict[str, str]) -> None:
    first = mgi(operator_env, "stack", "up")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "http://127.0.0.1:28081" in first.stdout
    pids = status_pids(operator_env)
    assert set(pids) == {"intake", "scoring", "publishing", "notifications"}
    assert all(pid.startswith("pid=") and pid != "pid=-" for pid in pids.values())

    second = mgi(operator_env, "stack", "up")
    assert second.returncode == 0
    assert "starting" not in second.stdout
    assert status_pids(operator_env) == pids

    token_file = Path(operator_env["MGI_DATA_DIR"]) / "admin-token"
    assert token_file.stat().st_mode & 0o077 == 0

    assert mgi(operator_env, "stack", "down").returncode == 0
    numbers = [int(pid.removeprefix("pid=")) for pid in pids.values()]
    assert not any(alive(pid) for pid in numbers)
    assert all(state == "pid=-" for state in status_pids(operator_env).values())
    intake_log = (Path(operator_env["MGI_DATA_DIR"]) / "logs" / "intake.log").read_text()
    assert "Application shutdown complete" in intake_log


def test_busy_port_is_named_in_a_clear_error(operator_env: dict[str, str]) -> None:
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", PORTS["INTAKE_PORT"]))
        squatter.listen()
        result = mgi(operator_env, "stack", "up")
    assert result.returncode == 1
    assert "port 28081" in result.stdout
    assert "intake" in result.stdout


def test_a_missing_java_is_named_before_anything_starts(tmp_path: Path) -> None:
    # The operator's own broker is wanted (no KAFKA_BOOTSTRAP_SERVERS), on a PATH without Java.
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    env = {"HOME": str(tmp_path), "PATH": str(empty_bin), "MGI_DATA_DIR": str(tmp_path / "data")}
    result = mgi(env, "stack", "up")
    assert result.returncode == 1
    assert "`java` was not found on PATH: install a Java 17+ runtime" in " ".join(
        result.stdout.split()
    )
    assert list((tmp_path / "data").glob("pids/*")) == []  # nothing was started
