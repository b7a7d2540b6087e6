"""Running a one-off setup command (Maven, Go, Kafka's storage tool) with a useful error."""

import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from mgi_cli.console import console

OUTPUT_TAIL_LINES = 30
POLL_SECONDS = 0.5


def run_setup(
    argv: list[str],
    doing: str,
    timeout_s: int,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    hint: str = "",
) -> None:
    """Run to completion behind a spinner that shows the time spent (a first run resolves
    Kafka and the database and compiles the database launcher: minutes of otherwise silent work); on failure raise with the
    tail of its output, the useful part."""
    with tempfile.TemporaryFile("w+") as output, console.status(doing) as spinner:
        process = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT, text=True
        )
        started = time.monotonic()
        while process.poll() is None:
            elapsed = time.monotonic() - started
            if elapsed > timeout_s:
                process.kill()
                process.wait()
                raise RuntimeError(f"{doing} took longer than {timeout_s} s")
            spinner.update(f"{doing} ({elapsed:.0f} s)")
            time.sleep(POLL_SECONDS)
        output.seek(0)
        text = output.read()
    if process.returncode != 0:
        tail = "\n".join(text.splitlines()[-OUTPUT_TAIL_LINES:])
        raise RuntimeError(f"{doing} failed (exit code {process.returncode}{hint}):\n{tail}")
