"""The local database's CPU per submission: the launcher of a git revision against this tree's.

Not a test: it prints figures and the ratio of the two, measured in the same run.
Run with `.venv/bin/python benchmarks/bench_database.py --base REV` (about a minute).

Both servers run at once on ports of their own, each from its revision's launcher sources
(`deploy/local/mongodb/*.java`) and JVM options (`JVM_OPTIONS` in `mgi_cli/infra/mongodb.py`),
over throwaway stores. Each round sends the same mix of commands that a submission costs the
platform (the reads, the insert with a guarded outbox, the kept counts, the history list,
the relay's mark, scoring's compare-and-set on a large document) to one server, then the
other, alternating which goes first, and reads each server's CPU time from /proc: load from
elsewhere on the machine then hits both alike. The first round warms the JIT and is left out.
"""

import argparse
import ast
import asyncio
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

from pymongo import AsyncMongoClient, ReturnDocument
from rich.console import Console
from rich.table import Table

from mgi_cli.bench.cpu import process_cpu_seconds
from mgi_cli.infra import mongodb
from mgi_cli.infra.java import require_java

REPO = Path(__file__).resolve().parents[1]
ASSESSMENTS = 100
ANSWERS = [{"indicator": f"RGT-{i}", "value": "yes", "evidence": "x" * 20} for i in range(40)]
SCORING_STATE = os.urandom(9000)  # about the size of scoring's compressed results


def launcher_at(revision: str, into: Path) -> tuple[Path, list[str]]:
    """The launcher sources and JVM options of `revision` ("WORKTREE": as they are here)."""
    into.mkdir(parents=True)
    if revision == "WORKTREE":
        for source in (REPO / mongodb.LAUNCHER_DIR).glob("*.java"):
            (into / source.name).write_bytes(source.read_bytes())
        return into, list(mongodb.JVM_OPTIONS)

    def show(path: str) -> str:
        return subprocess.run(["git", "-C", str(REPO), "show", f"{revision}:{path}"],
                              check=True, capture_output=True, text=True).stdout  # fmt: skip

    listed = subprocess.run(["git", "-C", str(REPO), "ls-tree", "--name-only", revision,
                             f"{mongodb.LAUNCHER_DIR}/"], check=True, capture_output=True,
                            text=True).stdout.split()  # fmt: skip
    for path in (p for p in listed if p.endswith(".java")):
        (into / Path(path).name).write_text(show(path))
    module = ast.parse(show("cli/src/mgi_cli/infra/mongodb.py"))
    options = next(node.value for node in module.body if isinstance(node, ast.Assign)
                   and any(getattr(t, "id", "") == "JVM_OPTIONS" for t in node.targets))  # fmt: skip
    return into, list(ast.literal_eval(options))


def start(sources: Path, options: list[str], jars: str, port: int) -> subprocess.Popen[bytes]:
    classes = sources / "classes"
    subprocess.run(["javac", "-nowarn", "-cp", jars, "-d", str(classes),
                    *map(str, sources.glob("*.java"))], check=True)  # fmt: skip
    store = sources / "store" / "mgi.mv.db"
    store.parent.mkdir()
    argv = [require_java("bench"), *options, "-cp", f"{classes}{os.pathsep}{jars}",
            mongodb.LAUNCHER_CLASS, "127.0.0.1", str(port), str(store)]  # fmt: skip
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def serves_id_filters(sources: Path) -> bool:
    """Whether this launcher serves a filter naming `_id` among other fields by `_id`. Before
    it did, the services kept a unique (`_id`, field) index for each such filter."""
    collection = sources / "DetachedH2Collection.java"
    return collection.is_file() and "QueryResult queryDocuments(" in collection.read_text()


async def seed(db: Any, guard_indexes: bool) -> None:
    if guard_indexes:  # as the services of that revision created them
        await db.submissions.create_index([("_id", 1), ("counted", 1)], unique=True)
        await db.submissions.create_index([("_id", 1), ("outbox_count", 1)], unique=True)
        await db.scoring.create_index([("_id", 1), ("version", 1)], unique=True)
    for n in range(ASSESSMENTS):
        await db.assessments.insert_one({"_id": f"A{n}", "counts": {"submissions": 0},
                                         "status": "data_collection", "pad": "y" * 2000})  # fmt: skip
        await db.actors.insert_one(
            {"_id": f"A{n}/a", "indicators": [f"RGT-{i}" for i in range(98)]}
        )
        await db.scoring.insert_one({"_id": f"A{n}", "version": 0, "state": SCORING_STATE})


async def submission(db: Any, number: int) -> None:
    """The commands one submission costs the platform, each by `_id` (with a guarded field)."""
    aid, sid = f"A{number % ASSESSMENTS}", str(uuid.uuid4())
    await db.assessments.find_one({"_id": aid})
    await db.actors.find_one({"_id": f"{aid}/a"})
    await db.submissions.insert_one({"_id": sid, "assessment_id": aid, "answers": ANSWERS,
                                     "counted": False, "outbox": [{"event": sid}],
                                     "outbox_count": 1})  # fmt: skip
    await db.submissions.update_one({"_id": sid, "counted": False}, {"$set": {"counted": True}})
    counts = await db.assessments.find_one_and_update(
        {"_id": aid}, {"$inc": {"counts.submissions": 1}}, return_document=ReturnDocument.AFTER
    )
    await db.lists.update_one({"_id": f"{aid}/{counts['counts']['submissions'] // 250}"},
                              {"$push": {"entries": {"id": sid}}}, upsert=True)  # fmt: skip
    await db.submissions.update_one({"_id": sid, "outbox_count": 1}, {"$set": {"outbox": []}})
    state = await db.scoring.find_one({"_id": aid}, {"version": 1})
    await db.scoring.update_one({"_id": aid, "version": state["version"]},
                                {"$inc": {"version": 1}, "$set": {"state": SCORING_STATE}})  # fmt: skip


async def measure(args: argparse.Namespace) -> None:
    jars = mongodb.ensure_classpath(REPO, Path.home() / ".cache" / "mgi", print).split(
        os.pathsep, 1
    )[1]
    work = Path(tempfile.mkdtemp(prefix="mgi-bench-db-"))
    servers, clients = {}, {}
    try:
        for label, revision, port in (
            ("base", args.base, args.port),
            ("this tree", "WORKTREE", args.port + 1),
        ):
            sources, options = launcher_at(revision, work / label.replace(" ", "-"))
            servers[label] = start(sources, options, jars, port)
            clients[label] = AsyncMongoClient(
                f"mongodb://127.0.0.1:{port}", serverSelectionTimeoutMS=30000
            )
            await seed(clients[label].bench, guard_indexes=not serves_id_filters(sources))
        used = {label: 0.0 for label in servers}
        number = 0
        for round_number in range(args.rounds + 1):
            order = list(servers) if round_number % 2 == 0 else list(reversed(servers))
            for label in order:
                before = process_cpu_seconds(servers[label].pid) or 0.0
                for _ in range(args.submissions // 10):
                    await asyncio.gather(
                        *(submission(clients[label].bench, number + i) for i in range(10))
                    )
                    number += 10
                if round_number > 0:  # the first round warms the JIT
                    used[label] += (process_cpu_seconds(servers[label].pid) or 0.0) - before
        report(args, used)
    finally:
        for client in clients.values():
            await client.close()
        for server in servers.values():
            server.terminate()
            server.wait(timeout=30)


def report(args: argparse.Namespace, used: dict[str, float]) -> None:
    per = {
        label: 1000 * seconds / (args.rounds * args.submissions) for label, seconds in used.items()
    }
    table = Table(title="Local database: CPU per submission's commands (9 commands)")
    for column in ("server", "launcher", "CPU ms per submission", "x base"):
        table.add_column(column, justify="right" if column != "launcher" else "left")
    for label, revision in (("base", args.base), ("this tree", "working tree")):
        table.add_row(label, revision, f"{per[label]:.2f}", f"{per[label] / per['base']:.2f}")
    Console().print(table)
    print(f"{args.rounds} rounds of {args.submissions} submissions per server, interleaved")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD", help="git revision to compare against (HEAD)")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--submissions", type=int, default=2000, help="per round and server")
    parser.add_argument("--port", type=int, default=27600, help="base's port; this tree's is +1")
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
