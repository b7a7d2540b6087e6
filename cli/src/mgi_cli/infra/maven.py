"""Classpaths resolved from Maven Central through a small pom, cached between starts.

Nothing is copied: the jars stay in the local Maven repository (~/.m2), and the classpath
Maven computes is cached under the cache directory, keyed by the pom's hash.
"""

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from mgi_cli.infra.java import INSTALL_JAVA, INSTALL_MAVEN, require_tool
from mgi_cli.infra.setup_commands import run_setup

MVN_TIMEOUT_S = 900


def ensure_classpath(pom: Path, cache_file: Path, what: str, log: Callable[[str], None]) -> str:
    """Return the classpath of `pom`, resolving it with Maven only when the cache is stale.

    Maven needs tens of seconds and the network on a fresh machine, so its answer is cached
    (first line: a hash of the pom) and trusted only while every jar it names still exists.
    """
    digest = file_digest(pom)
    cached = _read_cached_classpath(cache_file, digest)
    if cached is not None:
        return cached
    require_tool("java", INSTALL_JAVA)
    mvn = require_tool("mvn", INSTALL_MAVEN)
    log(f"resolving {what} from Maven Central (first run only, about a minute)")
    classpath = _resolve_classpath(mvn, pom, cache_file, what)
    write_atomically(cache_file, f"pom-sha256 {digest}\n{classpath}\n")
    return classpath


def _resolve_classpath(mvn: str, pom: Path, cache_file: Path, what: str) -> str:
    output_file = cache_file.with_name(f"{cache_file.name}.mvn-{os.getpid()}")
    output_file.parent.mkdir(parents=True, exist_ok=True)
    argv = [mvn, "-q", "-B", "-Dstyle.color=never", "-f", str(pom), "dependency:build-classpath"]
    argv.append(f"-Dmdep.outputFile={output_file}")
    try:
        run_setup(argv, f"resolving {what} with Maven", MVN_TIMEOUT_S)
        classpath = output_file.read_text(encoding="utf-8").strip()
    finally:
        output_file.unlink(missing_ok=True)
    if not classpath:
        raise RuntimeError(f"Maven produced an empty classpath from {pom}")
    return classpath


def _read_cached_classpath(cache_file: Path, digest: str) -> str | None:
    """Return the cached classpath if it was made from this pom and all its jars exist."""
    try:
        header, classpath = cache_file.read_text(encoding="utf-8").split("\n", 1)
    except (OSError, ValueError):
        return None
    classpath = classpath.strip()
    if header != f"pom-sha256 {digest}" or not classpath:
        return None
    if not all(Path(entry).is_file() for entry in classpath.split(os.pathsep)):
        return None
    return classpath


def file_digest(path: Path) -> str:
    """Hash a file, so that editing it invalidates what was cached from it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file, so a crash never leaves a half-written file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
