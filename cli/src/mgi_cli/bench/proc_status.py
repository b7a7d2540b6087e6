"""Peak resident memory of a process (VmHWM in /proc/<pid>/status); imports nothing heavy,
so the floor's own process stays as small as its loop needs."""

from pathlib import Path


def peak_rss_kb(pid: int | str = "self") -> int | None:
    """VmHWM in kB (the high-water mark since the process started), or None if the process is
    gone or the kernel does not say."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None
