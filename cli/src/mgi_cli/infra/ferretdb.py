"""FerretDB (MongoDB wire protocol on SQLite) as the local database, built from its Go module.

No Docker and no release download: deploy/local/ferretdb holds a tiny Go `main` that embeds the
public `github.com/FerretDB/FerretDB/ferretdb` package (the upstream `cmd/ferretdb` installed with
`go install` panics at start: its build/version/version.txt is generated, not in the module).
The binary is built once, pure Go (CGO_ENABLED=0), and cached under a name that changes with
the runner's sources. Verified with pymongo 4.20 AsyncMongoClient, including a restart.
"""

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from mgi_cli.infra.launch import LaunchSpec
from mgi_cli.infra.setup_commands import run_setup

FERRETDB_VERSION = "v1.24.2"

RUNNER_DIR = Path("deploy/local/ferretdb")
RUNNER_SOURCES = ("go.mod", "go.sum", "main.go")
GO_BUILD_TIMEOUT_S = 1200
_INSTALL_GO = (
    "Go >= 1.22 (https://go.dev/dl/; go.mod asks for 1.24, which Go 1.21+ fetches by itself "
    "through GOTOOLCHAIN=auto)"
)


def ensure_binary(repo_root: Path, cache_dir: Path, log: Callable[[str], None]) -> Path:
    """Return the FerretDB runner binary, building it only when no cached build matches.

    The first build downloads the Go modules and compiles for one to two minutes; the cache
    key hashes go.mod, go.sum and main.go, so editing the runner or bumping FerretDB rebuilds.
    """
    source_dir = repo_root / RUNNER_DIR
    binary = cache_dir / f"ferretdb-{FERRETDB_VERSION}-{_sources_digest(source_dir)}"
    if binary.is_file():
        return binary
    go = _require_go()
    cache_dir.mkdir(parents=True, exist_ok=True)
    log(f"building FerretDB {FERRETDB_VERSION} with Go (first run only, one to two minutes)")
    _go_build(go, source_dir, binary)
    return binary


def prepare(
    repo_root: Path,
    data_dir: Path,
    cache_dir: Path,
    host: str,
    port: int,
    log: Callable[[str], None],
) -> LaunchSpec:
    """Build (if needed) and describe how to start FerretDB with its SQLite files in data_dir.

    The state directory holds one `<database>.sqlite` file per MongoDB database and survives
    restarts; the runner creates it too, but creating it here makes a bad path fail early.
    """
    binary = ensure_binary(repo_root, cache_dir, log)
    state_dir = data_dir / "ferretdb" / "state"
    state_dir.mkdir(parents=True, exist_ok=True)
    argv = [str(binary), "-listen-addr", _listen_addr(host, port), "-state-dir", str(state_dir)]
    return LaunchSpec(name="ferretdb", argv=argv, port=port)


def _sources_digest(source_dir: Path) -> str:
    """Hash the runner's sources so that the cached binary is replaced when any of them change."""
    digest = hashlib.sha256()
    for name in RUNNER_SOURCES:
        digest.update(name.encode())
        digest.update((source_dir / name).read_bytes())
    return digest.hexdigest()[:16]


def _require_go() -> str:
    """Find `go`, also in its default install place, which is often not on PATH."""
    found = shutil.which("go") or shutil.which("go", path="/usr/local/go/bin")
    if found is None:
        raise RuntimeError(f"`go` was not found: install {_INSTALL_GO} to build FerretDB")
    return found


def _go_build(go: str, source_dir: Path, binary: Path) -> None:
    """Build into a temporary file, then rename: an interrupted build never looks cached."""
    partial = binary.with_name(f"{binary.name}.partial-{os.getpid()}")
    # -buildvcs=false: the runner sits inside our git checkout; stamping it adds nothing and
    # fails on a checkout owned by another user (git's "dubious ownership").
    argv = [go, "build", "-trimpath", "-buildvcs=false", "-o", str(partial), "."]
    env = {**os.environ, "CGO_ENABLED": "0"}
    try:
        run_setup(argv, "building FerretDB", GO_BUILD_TIMEOUT_S, cwd=source_dir, env=env,
                  hint=f"; needs {_INSTALL_GO} and access to the Go module proxy")  # fmt: skip
    except RuntimeError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(binary)


def _listen_addr(host: str, port: int) -> str:
    """Join host and port the way Go's net package expects (IPv6 literals in brackets)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
