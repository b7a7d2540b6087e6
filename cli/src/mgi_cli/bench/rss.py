"""Peak resident memory of the stack's processes, from /proc/<pid>/status (VmHWM).

VmHWM is the high-water mark since the process started: a stack that was already up
before the benchmark reports its peak over its whole life, not over this run alone.
"""

from dataclasses import dataclass

from mgi_cli.bench.proc_status import peak_rss_kb
from mgi_cli.infra import processes
from mgi_cli.stack import StackConfig
from mgi_shared.contracts.topics import SERVICES

# What `mgi stack up` runs besides the services: the broker, the database and, with no OTLP
# endpoint configured, the local trace receiver (every span the services export costs there too).
OTHER_COMPONENTS = ("kafka", "mongodb", "traces")


@dataclass(frozen=True)
class PeakRss:
    component: str
    pid: int | None
    peak_mb: float | None  # None: not started by this stack (external, or down)


def stack_peaks(config: StackConfig) -> list[PeakRss]:
    """Each service, then the broker and the database when `mgi stack up` started them."""
    peaks = []
    for name in (*SERVICES, *OTHER_COMPONENTS):
        pid = processes.running_pid(config.paths(name))
        kb = peak_rss_kb(pid) if pid is not None else None
        peaks.append(PeakRss(name, pid, None if kb is None else kb / 1024))
    return peaks
