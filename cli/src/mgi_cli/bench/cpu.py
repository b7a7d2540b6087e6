"""CPU time the stack's processes spend, from /proc/<pid>/stat: the cost of a submission.

Handling times from the services' /metrics are wall time, which includes waiting for the
database and overlaps between records; CPU seconds of each process (services, and the
broker and database when `mgi stack up` started them) add up to what the machine paid.
"""

import os
from pathlib import Path

from mgi_cli.bench.rss import OTHER_COMPONENTS
from mgi_cli.infra import processes
from mgi_cli.stack import StackConfig
from mgi_shared.contracts.topics import SERVICES

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
# Every process a submission costs CPU in: intake and scoring handle it, publishing and
# notifications read its events (results of an unvalidated assessment, the accepted event).
SUBMISSION_PATH = (*SERVICES, *OTHER_COMPONENTS)


def cpu_seconds(config: StackConfig) -> dict[str, float]:
    """User + system CPU seconds of each running component, by name."""
    used: dict[str, float] = {}
    for name in (*SERVICES, *OTHER_COMPONENTS):
        pid = processes.running_pid(config.paths(name))
        seconds = process_cpu_seconds(pid) if pid is not None else None
        if seconds is not None:
            used[name] = seconds
    return used


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of one process; None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND


def cpu_ms_per(before: dict[str, float], after: dict[str, float], count: int) -> dict[str, float]:
    """CPU ms per submission (`count` of them went through) of each component on a
    submission's path, and their total; all zero when none went through."""
    costs = {
        name: (after[name] - before[name]) * 1000 / count
        for name in SUBMISSION_PATH
        if name in before and name in after and count
    }
    costs["total"] = sum(costs.values())
    return costs
