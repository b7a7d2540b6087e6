"""Writing a file so that a reader sees the old content or the new, never half of it."""

import os
import uuid
from pathlib import Path


def write_atomically(path: Path, content: str) -> None:
    """Write a temporary file beside it, flush it to disk, then rename it over the old one
    (rename within one directory is atomic on POSIX)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
