"""The floor: what this hardware does for the platform's kind of hop, measured in this run.

A minimal loop in a process of its own (floor_loop.py) takes real submission bodies from
a throwaway topic, inserts each into a scratch collection and produces it to a second
throwaway topic; the broker has auto-creation off, so both are created here and deleted
afterwards, with the scratch collection. Measured:
- throughput: a backlog handled at full speed, from the broker timestamps of the output;
- latency: records offered at the benchmark's rate, from our produce to our consume;
- the loop process's peak RSS: the least memory a Python process doing this takes;
- CPU ms per record: the loop's, plus the broker's and the database's when the stack
  started them (as for the platform's figures).
Every figure of the platform is printed against these.
"""

import asyncio
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from pymongo import AsyncMongoClient

from mgi_cli.bench.cpu import cpu_seconds
from mgi_cli.bench.figures import LatencySummary
from mgi_cli.bench.pacing import paced
from mgi_cli.bench.progress import progress_bar
from mgi_cli.bench.rss import OTHER_COMPONENTS
from mgi_cli.bench.timing import collector_off
from mgi_cli.bench.workload import Json
from mgi_cli.stack import StackConfig
from mgi_shared.settings import PlatformSettings

SCRATCH_DATABASE = "mgi_bench_scratch"
MIN_LATENCY_SAMPLES = 50


@dataclass(frozen=True)
class FloorFigures:
    records: int
    records_per_second: float
    latency: LatencySummary
    peak_rss_mb: float
    cpu_ms_per_record: float


@dataclass(frozen=True)
class _Scratch:
    source: str
    target: str
    collection: str


async def measure_floor(
    config: StackConfig, bodies: Sequence[Json], records: int, rate: float,
    latency_seconds: float, run_id: str,
) -> FloorFigures:  # fmt: skip
    settings = config.settings
    scratch = _Scratch(f"mgi.bench.{run_id}.floor-in", f"mgi.bench.{run_id}.floor-out", run_id)
    samples = max(MIN_LATENCY_SAMPLES, int(rate * latency_seconds))
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(scratch.source, 1, 1), NewTopic(scratch.target, 1, 1)])
        infra_before = cpu_seconds(config)
        figures = await _measure(settings, scratch, bodies, records, samples, rate)
        infra_after = cpu_seconds(config)
        infra = sum(infra_after[n] - infra_before[n] for n in OTHER_COMPONENTS if n in infra_before)
        loop_ms = figures.cpu_ms_per_record + infra * 1000 / (records + samples)
        return replace(figures, cpu_ms_per_record=loop_ms)
    finally:
        await admin.delete_topics([scratch.source, scratch.target])
        await admin.close()
        database: AsyncMongoClient[Json] = AsyncMongoClient(settings.mongodb_url)
        await database[SCRATCH_DATABASE].drop_collection(scratch.collection)
        await database.close()


async def _measure(
    settings: PlatformSettings, scratch: _Scratch, bodies: Sequence[Json], records: int,
    samples: int, rate: float,
) -> FloorFigures:  # fmt: skip
    bootstrap = settings.kafka_bootstrap_servers
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, fetch_max_wait_ms=50)
    await producer.start()
    await reader.start()
    loop_process = None
    try:
        target = TopicPartition(scratch.target, 0)
        reader.assign([target])
        await reader.seek_to_beginning(target)
        # A backlog first, so the loop runs at its own full speed from its first record.
        pending = [
            await producer.send(scratch.source, json.dumps(bodies[i % len(bodies)]).encode(),
                                key=f"backlog-{i}".encode())
            for i in range(records)
        ]  # fmt: skip
        await asyncio.gather(*pending)
        loop_process = await _start_loop(settings, scratch, records + samples)
        timestamps = await _read_backlog(reader, records)
        throughput = (records - 1) / max((timestamps[-1] - timestamps[0]) / 1000, 1e-3)
        latency = await _paced_round_trips(producer, reader, scratch.source, bodies, samples, rate)
        output, _ = await asyncio.wait_for(loop_process.communicate(), timeout=120)
        own = json.loads(output.decode().strip().splitlines()[-1])
        cpu_ms = own["cpu_seconds"] * 1000 / (records + samples)
        return FloorFigures(records, throughput, latency, own["peak_rss_kb"] / 1024, cpu_ms)
    finally:
        if loop_process is not None and loop_process.returncode is None:
            loop_process.kill()
            await loop_process.wait()
        await reader.stop()
        await producer.stop()


async def _start_loop(
    settings: PlatformSettings, scratch: _Scratch, records: int
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "mgi_cli.bench.floor_loop",
        "--bootstrap", settings.kafka_bootstrap_servers, "--mongodb-url", settings.mongodb_url,
        "--database", SCRATCH_DATABASE, "--collection", scratch.collection,
        "--source", scratch.source, "--target", scratch.target, "--records", str(records),
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def _read_backlog(reader: AIOKafkaConsumer, records: int) -> list[int]:
    """Broker timestamps (ms) of the loop's output: its own pace, not our reading's."""
    timestamps: list[int] = []
    with progress_bar() as progress:
        task = progress.add_task("floor: raw loop at full speed", total=records)
        while len(timestamps) < records:
            batch = await asyncio.wait_for(reader.getmany(timeout_ms=500), timeout=60)
            for partition_records in batch.values():
                timestamps += [record.timestamp for record in partition_records]
            progress.update(task, completed=len(timestamps))
    return timestamps[:records]


async def _paced_round_trips(
    producer: AIOKafkaProducer, reader: AIOKafkaConsumer, source: str, bodies: Sequence[Json],
    samples: int, rate: float,
) -> LatencySummary:  # fmt: skip
    sent: dict[bytes, float] = {}
    seen: dict[bytes, float] = {}

    async def read() -> None:
        while len(seen) < samples:
            batch = await reader.getmany(timeout_ms=200)
            arrived = time.perf_counter()
            for partition_records in batch.values():
                for record in partition_records:
                    if record.key in sent:
                        seen.setdefault(record.key, arrived)

    reading = asyncio.create_task(read())
    with progress_bar() as progress, collector_off():
        task = progress.add_task(f"floor: latency at {rate:g}/s", total=samples)
        pending = []
        async for index in paced(samples, rate):
            key = f"paced-{index}".encode()
            sent[key] = time.perf_counter()
            pending.append(await producer.send(source, json.dumps(bodies[index % len(bodies)]).encode(), key=key))  # fmt: skip
            progress.update(task, completed=len(seen))
        await asyncio.gather(*pending)
        await asyncio.wait_for(reading, timeout=120)
        progress.update(task, completed=len(seen))
    return LatencySummary.of_seconds([seen[key] - sent[key] for key in sent])
