"""Spans kept as JSON lines under MGI_DATA_DIR/traces/, in a few bounded files.

The newest spans go to `spans.jsonl`; when it passes `max_bytes` it becomes `spans.1.jsonl`
(the older ones shift up) and the oldest beyond `keep` files is deleted, so the folder never
holds more than about keep x max_bytes however long the stack runs.
"""

import json
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from mgi_cli.traces.otlp import SpanRecord

CURRENT = "spans.jsonl"
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
DEFAULT_KEEP = 4


class SpanStore:
    def __init__(
        self, folder: Path, max_bytes: int = DEFAULT_MAX_BYTES, keep: int = DEFAULT_KEEP
    ) -> None:
        self.folder = folder
        self._max_bytes = max_bytes
        self._keep = keep
        self._lock = threading.Lock()  # the receiver's request threads write here
        folder.mkdir(parents=True, exist_ok=True)

    def append(self, records: Iterable[SpanRecord]) -> None:
        lines = "".join(json.dumps(r, separators=(",", ":"), default=str) + "\n" for r in records)
        if not lines:
            return
        with self._lock:
            current = self.folder / CURRENT
            if current.exists() and current.stat().st_size + len(lines) > self._max_bytes:
                self._rotate()
            with current.open("a", encoding="utf-8") as out:
                out.write(lines)

    def _rotate(self) -> None:
        (self.folder / rotated(self._keep)).unlink(missing_ok=True)
        for number in range(self._keep - 1, 0, -1):
            older = self.folder / rotated(number)
            if older.exists():
                older.rename(self.folder / rotated(number + 1))
        (self.folder / CURRENT).rename(self.folder / rotated(1))


def rotated(number: int) -> str:
    return f"spans.{number}.jsonl"


def read_spans(folder: Path) -> Iterator[SpanRecord]:
    """Every kept span, oldest file first; a line cut short by a crash is skipped."""
    files = sorted(folder.glob("spans.*.jsonl"), key=lambda p: -int(p.name.split(".")[1]))
    for path in [*files, folder / CURRENT]:
        if not path.exists():
            continue
        with path.open(encoding="utf-8", errors="replace") as lines:
            for line in lines:
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    continue
