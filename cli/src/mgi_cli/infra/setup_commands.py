"""Running a one-off setup command (Maven, Go, Kafka's storage tool) with a useful error."""

import subprocess
from collections.abc import Mapping
from pathlib import Path

OUTPUT_TAIL_LINES = 30


def run_setup(
    argv: list[str],
    doing: str,
    timeout_s: int,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    hint: str = "",
) -> None:
    """Run to completion; on failure raise with the tail of its output, the useful part."""
    try:
        result = subprocess.run(
            argv,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise RuntimeError(f"{doing} took longer than {timeout_s} s") from error
    if result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-OUTPUT_TAIL_LINES:])
        raise RuntimeError(f"{doing} failed (exit code {result.returncode}{hint}):\n{tail}")
