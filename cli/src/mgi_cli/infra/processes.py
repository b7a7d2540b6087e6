"""Background processes of the local stack: started detached, tracked and stopped by pid."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from mgi_cli.infra.launch import LaunchSpec


@dataclass(frozen=True)
class ProcessPaths:
    """Where one component keeps its pid and log under the data directory."""

    pid_file: Path
    log_file: Path

    @classmethod
    def of(cls, data_dir: Path, name: str) -> "ProcessPaths":
        return cls(data_dir / "pids" / f"{name}.pid", data_dir / "logs" / f"{name}.log")


def running_pid(paths: ProcessPaths) -> int | None:
    """The pid from the pid file if that process is still alive (a stale file is removed)."""
    try:
        pid = int(paths.pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        paths.pid_file.unlink(missing_ok=True)
        return None
    except PermissionError:
        return pid
    if _is_zombie(pid):
        paths.pid_file.unlink(missing_ok=True)
        return None
    return pid


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def start(spec: LaunchSpec, paths: ProcessPaths) -> int:
    """Start detached in its own session so it outlives the CLI and stops as one group."""
    paths.pid_file.parent.mkdir(parents=True, exist_ok=True)
    paths.log_file.parent.mkdir(parents=True, exist_ok=True)
    with paths.log_file.open("ab") as log:
        process = subprocess.Popen(
            spec.argv,
            cwd=spec.cwd,
            env={**os.environ, **spec.env},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    paths.pid_file.write_text(str(process.pid))
    return process.pid


def stop(paths: ProcessPaths, timeout: float = 30.0) -> bool:
    """SIGTERM the process group, SIGKILL what is left after `timeout`; True if one ran."""
    pid = running_pid(paths)
    if pid is None:
        return False
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and running_pid(paths) is not None:
        _reap(pid)
        time.sleep(0.1)
    if running_pid(paths) is not None:
        _signal_group(pid, signal.SIGKILL)
        time.sleep(0.2)
        _reap(pid)
    paths.pid_file.unlink(missing_ok=True)
    return True


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        return
    except PermissionError:
        os.kill(pid, sig)


def _reap(pid: int) -> None:
    """Collect our own child's exit status so it does not linger as a zombie."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def log_tail(paths: ProcessPaths, lines: int = 30) -> str:
    try:
        content = paths.log_file.read_text(errors="replace").splitlines()
    except FileNotFoundError:
        return "(no log yet)"
    return "\n".join(content[-lines:])
