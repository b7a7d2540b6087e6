"""The local database: mongo-java-server 1.47 (MongoDB wire protocol) on its H2 MVStore backend.

No Docker and no binary download: deploy/local/mongodb holds a pom that Maven resolves from
Maven Central and a small launcher (MgiMongoServer.java), compiled once with javac into the
cache directory under a name that changes with its sources. find_one by `_id` takes about
0.5 ms at 20k documents, and a compare-and-set on one document is atomic (each collection is
synchronized). An index serves only a filter naming exactly its fields, and non-unique
secondary indexes are accepted but not used: any other query scans its collection.
"""

import os
from collections.abc import Callable
from pathlib import Path

from mgi_cli.infra import maven
from mgi_cli.infra.java import INSTALL_JDK, require_java, require_tool
from mgi_cli.infra.launch import LaunchSpec
from mgi_cli.infra.setup_commands import run_setup

MONGO_JAVA_SERVER_VERSION = "1.47.0"

LAUNCHER_DIR = Path("deploy/local/mongodb")
LAUNCHER_CLASS = "MgiMongoServer"
STORE_FILE = "mgi.mv.db"
# About 400 MB resident at 256 MB of heap; unbounded, the JVM takes a quarter of the memory.
JVM_OPTIONS = [
    "-Xmx256m",
    "-XX:+UseSerialGC",
    "-XX:+ExitOnOutOfMemoryError",
    # slf4j-simple: timestamps, and no line per client connection opened or closed.
    "-Dorg.slf4j.simpleLogger.showDateTime=true",
    "-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire=warn",
    # Netty checks each buffer's reference count on every byte read or written: a profile found
    # those checks alone as a sixth of the server's CPU while it encoded BSON. The server's own
    # code releases its buffers correctly, so the checks buy nothing here.
    "-Dio.netty.buffer.checkAccessible=false",
    "-Dio.netty.buffer.checkBounds=false",
]
JAVAC_TIMEOUT_S = 300


def ensure_classpath(repo_root: Path, cache_dir: Path, log: Callable[[str], None]) -> str:
    """The server's jars plus the compiled launcher, building only what the cache lacks."""
    source_dir = repo_root / LAUNCHER_DIR
    cache_file = cache_dir / f"mongo-java-server-{MONGO_JAVA_SERVER_VERSION}.classpath"
    what = f"mongo-java-server {MONGO_JAVA_SERVER_VERSION}"
    jars = maven.ensure_classpath(source_dir / "pom.xml", cache_file, what, log)
    classes = _ensure_launcher(source_dir, cache_dir, jars)
    return os.pathsep.join((str(classes), jars))


def prepare(
    repo_root: Path,
    data_dir: Path,
    cache_dir: Path,
    host: str,
    port: int,
    log: Callable[[str], None],
) -> LaunchSpec:
    """Describe how to start the server with its store in data_dir/mongodb."""
    java = require_java(f"mongo-java-server {MONGO_JAVA_SERVER_VERSION}")
    classpath = ensure_classpath(repo_root, cache_dir, log)
    store = data_dir / "mongodb" / STORE_FILE
    store.parent.mkdir(parents=True, exist_ok=True)
    argv = [java, *JVM_OPTIONS, "-cp", classpath, LAUNCHER_CLASS, host, str(port), str(store)]
    return LaunchSpec(name="mongodb", argv=argv, port=port)


def _ensure_launcher(source_dir: Path, cache_dir: Path, jars: str) -> Path:
    """Compile the launcher into a folder named by its sources' hash; reuse it when present.

    Compiled into a temporary folder and renamed, so an interrupted build never looks done.
    """
    sources = sorted(source_dir.glob("*.java"))  # the launcher and the storage format it uses
    digest = maven.text_digest("".join(maven.file_digest(path) for path in sources))[:16]
    classes = cache_dir / f"mongodb-launcher-{digest}"
    if (classes / f"{LAUNCHER_CLASS}.class").is_file():
        return classes
    javac = require_tool("javac", INSTALL_JDK)
    partial = classes.with_name(f"{classes.name}.partial")
    partial.mkdir(parents=True, exist_ok=True)
    argv = [javac, "-nowarn", "-cp", jars, "-d", str(partial), *map(str, sources)]
    run_setup(argv, "compiling the database launcher", JAVAC_TIMEOUT_S)
    partial.replace(classes)
    return classes
