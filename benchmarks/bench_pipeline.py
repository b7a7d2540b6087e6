"""End-to-end latency and throughput through the real running stack.

Not a test: it prints figures and ratios against baselines measured in the same run on the
same broker and services. Run with `.venv/bin/python benchmarks/bench_pipeline.py`; it calls
`mgi stack up` first (idempotent: a running stack is reused).

Measured:
- baselines: a raw Kafka produce -> consume round trip (acks=all, idempotent producer, like the
  platform's) on a throwaway 1-partition topic, deleted afterwards; HTTP GET /healthz on intake;
  and the raw Kafka throughput of a burst of the same size as the platform burst.
- sequential: N submissions to one assessment, one at a time; per submission the time from the
  POST to intake until (a) intake answers 202, (b) scoring's GET /v1/assessments/{id}/results
  shows `submissions_applied` reaching the count (polled), (c) the `mgi.results.updated.v1`
  event of the expected revision is consumed here.
- burst: many submissions across several assessments, sent with bounded concurrency; throughput
  until scoring reflects every one of them.

Each run creates its own assessments (`IDN-bench<hex>...-national`) and leaves them in place.
"""

import asyncio
import json
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from prometheus_client.parser import text_string_to_metric_families
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from mgi_cli import stack
from mgi_cli.console import quiet_client_libraries
from mgi_shared.contracts.topics import KEYED_PARTITIONS, RESULTS_UPDATED, SUBMISSIONS_ACCEPTED
from mgi_shared.settings import PlatformSettings

SEQUENTIAL = int(os.environ.get("BENCH_SEQUENTIAL", "50"))
BURST_ASSESSMENTS = int(os.environ.get("BENCH_BURST_ASSESSMENTS", "10"))
BURST_PER_ASSESSMENT = int(os.environ.get("BENCH_BURST_PER_ASSESSMENT", "20"))
BURST_CONCURRENCY = int(os.environ.get("BENCH_BURST_CONCURRENCY", "20"))
BASELINE_ROUNDS = 50
POLL_SECONDS = 0.02  # resolution of "results visible at scoring", one assessment
# The burst watches scoring's /metrics (no database read) rather than polling every assessment's
# results: on FerretDB each results read costs tens of ms on scoring's one database connection,
# and polling ten assessments swamped the very service being measured.
BURST_POLL_SECONDS = 0.2
TIMEOUT_SECONDS = float(os.environ.get("BENCH_TIMEOUT_SECONDS", "600"))
JURISDICTION = "IDN"
# One actor per domain with disjoint indicators, so every new answer changes the results.
ACTORS = ("rights", "government", "partnerships", "wellbeing", "crises", "safe_migration")
VALUES = ("yes", "no", "partial")
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)

console = Console(width=max(Console().width, 110))
Json = dict[str, Any]


@dataclass(frozen=True)
class Latencies:
    label: str
    seconds: list[float]

    def percentile(self, q: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95(self) -> float:
        return self.percentile(0.95)

    @property
    def max(self) -> float:
        return max(self.seconds) * 1000


@dataclass(frozen=True)
class Assessment:
    assessment_id: str
    actors: dict[str, list[str]]  # actor id -> indicator codes


@dataclass(frozen=True)
class BurstFigures:
    submissions: int
    accept_seconds: float
    reflected_seconds: float
    events: int


# ---------------------------------------------------------------- HTTP client of the platform


class Platform:
    def __init__(self, http: httpx.AsyncClient, settings: PlatformSettings, admin: str) -> None:
        self.http = http
        self.settings = settings
        self.admin = admin

    async def call(
        self, service: str, method: str, path: str, key: str | None = None, body: Any = None
    ) -> Any:
        url = f"{self.settings.url_of(service)}{path}"
        headers = {"Authorization": f"Bearer {key or self.admin}"}
        response = await self.http.request(method, url, headers=headers, json=body)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text[:300]}")
        return response.json() if response.content else None

    async def results(self, assessment_id: str) -> Json | None:
        """Scoring's results, or None while scoring does not know the assessment yet."""
        url = f"{self.settings.url_of('scoring')}/v1/assessments/{assessment_id}/results"
        response = await self.http.get(url, headers={"Authorization": f"Bearer {self.admin}"})
        return response.json() if response.status_code == 200 else None

    async def metrics(self, service: str) -> str:
        response = await self.http.get(f"{self.settings.url_of(service)}/metrics")
        return response.text


async def national_indicators(platform: Platform) -> tuple[str, dict[str, list[str]]]:
    """The national catalogue's version and its indicator codes per domain."""
    listed = await platform.call("intake", "GET", "/v1/catalogues")
    version = next(c["version"] for c in listed if c["scope"] == "national")
    full = await platform.call("intake", "GET", f"/v1/catalogues/{version}")
    by_domain: dict[str, list[str]] = {}
    for indicator in full["indicators"]:
        by_domain.setdefault(indicator["domain"], []).append(indicator["code"])
    return version, by_domain


async def create_assessment(
    platform: Platform, assessment_id: str, version: str, by_domain: dict[str, list[str]]
) -> Assessment:
    body = {
        "assessment_id": assessment_id,
        "jurisdiction": {"code": JURISDICTION, "name": "Indonesia (benchmark)"},
        "scope": "national",
        "round": 1,
        "catalogue_version": version,
        "languages": ["en"],
    }
    await platform.call("intake", "POST", "/v1/assessments", body=body)
    actors = {f"bench-{domain}": by_domain[domain] for domain in ACTORS}
    for actor_id, codes in actors.items():
        actor = {"name": f"Benchmark {actor_id}", "cluster": actor_id[6:], "indicators": codes}
        await platform.call(
            "intake", "PUT", f"/v1/assessments/{assessment_id}/actors/{actor_id}", body=actor
        )
    status = {"status": "data_collection"}
    await platform.call("intake", "POST", f"/v1/assessments/{assessment_id}/status", body=status)
    return Assessment(assessment_id, actors)


async def submitter_key(platform: Platform) -> str:
    body = {"role": "submitter", "jurisdictions": [JURISDICTION], "label": "benchmark"}
    created = await platform.call("intake", "POST", "/v1/api-keys", body=body)
    return str(created["key"])


def submission(assessment: Assessment, index: int) -> Json:
    """The index-th submission: actors take turns, each answer differs from that actor's last."""
    actor_id = sorted(assessment.actors)[index % len(assessment.actors)]
    value = VALUES[(index // len(assessment.actors)) % len(VALUES)]
    return {
        "submission_id": f"bench-{uuid.uuid4().hex}",
        "assessment_id": assessment.assessment_id,
        "actor_id": actor_id,
        "language": "en",
        "submitted_at": (T0 + timedelta(seconds=index)).isoformat(),
        "answers": [{"indicator": code, "value": value} for code in assessment.actors[actor_id]],
    }


async def results_when(
    platform: Platform,
    assessment_id: str,
    check: Callable[[Json], bool],
    poll: float = POLL_SECONDS,
) -> tuple[float, Json]:
    """Poll scoring until its results satisfy `check`; (perf_counter when seen, results)."""
    deadline = time.perf_counter() + TIMEOUT_SECONDS
    while time.perf_counter() < deadline:
        results = await platform.results(assessment_id)
        if results is not None and check(results):
            return time.perf_counter(), results
        await asyncio.sleep(poll)
    raise RuntimeError(f"scoring did not reflect {assessment_id} within {TIMEOUT_SECONDS:.0f} s")


def applied_at_least(count: int) -> Callable[[Json], bool]:
    return lambda results: int(results["submissions_applied"]) >= count


# ---------------------------------------------------------------- events seen on the broker


@dataclass
class ResultsWatcher:
    """Consumes mgi.results.updated.v1 from its end and notes when each revision arrives."""

    bootstrap: str
    seen: dict[tuple[str, int], float] = field(default_factory=dict)
    waiters: dict[tuple[str, int], asyncio.Future[float]] = field(default_factory=dict)

    async def start(self) -> None:
        self.consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, group_id=None)
        await self.consumer.start()
        # `mgi stack up` creates the keyed topics with this many partitions.
        assigned = [TopicPartition(RESULTS_UPDATED, p) for p in range(KEYED_PARTITIONS)]
        self.consumer.assign(assigned)
        await self.consumer.seek_to_end(*assigned)
        for tp in assigned:  # resolve the end offsets now, not at the first fetch
            await self.consumer.position(tp)
        self.task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        self.task.cancel()
        await self.consumer.stop()

    async def _run(self) -> None:
        async for record in self.consumer:
            self._note(record, time.perf_counter())

    def _note(self, record: ConsumerRecord[bytes, bytes], at: float) -> None:
        event = json.loads(record.value or b"{}")
        key = (str(event.get("assessment_id")), int(event.get("data", {}).get("revision", -1)))
        self.seen.setdefault(key, at)
        waiter = self.waiters.pop(key, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(at)

    async def arrival(self, assessment_id: str, revision: int) -> float:
        key = (assessment_id, revision)
        if key in self.seen:
            return self.seen[key]
        waiter = self.waiters.setdefault(key, asyncio.get_running_loop().create_future())
        return await asyncio.wait_for(waiter, TIMEOUT_SECONDS)

    def count(self, assessment_ids: set[str]) -> int:
        return sum(1 for assessment_id, _ in self.seen if assessment_id in assessment_ids)


# ---------------------------------------------------------------- baselines


async def kafka_round_trips(bootstrap: str, rounds: int, burst: int) -> tuple[Latencies, float]:
    """Produce -> consume on a fresh 1-partition topic: per-record latency, burst records/s."""
    topic = f"mgi.bench.{uuid.uuid4().hex}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 1, 1)])
        return await _round_trips_on(bootstrap, topic, rounds, burst)
    finally:
        await admin.delete_topics([topic])
        await admin.close()


async def _round_trips_on(
    bootstrap: str, topic: str, rounds: int, burst: int
) -> tuple[Latencies, float]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await producer.start()
    await consumer.start()
    try:
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        await consumer.seek_to_end(tp)
        await consumer.position(tp)
        payload = json.dumps({"answers": ["x" * 40] * 40}).encode()  # about an event's size
        await producer.send_and_wait(topic, payload, key=b"warm-up")
        await consumer.getone()
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            await producer.send_and_wait(topic, payload, key=b"bench")
            await consumer.getone()
            samples.append(time.perf_counter() - started)
        started = time.perf_counter()
        sent = [await producer.send(topic, payload, key=b"bench") for _ in range(burst)]
        await asyncio.gather(*sent)
        for _ in range(burst):
            await consumer.getone()
        throughput = burst / (time.perf_counter() - started)
        return Latencies("Kafka produce -> consume (1 partition)", samples), throughput
    finally:
        await consumer.stop()
        await producer.stop()


async def healthz_round_trips(platform: Platform, rounds: int) -> Latencies:
    url = f"{platform.settings.url_of('intake')}/healthz"
    await platform.http.get(url)
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        (await platform.http.get(url)).raise_for_status()
        samples.append(time.perf_counter() - started)
    return Latencies("HTTP GET /healthz (intake)", samples)


# ---------------------------------------------------------------- the platform runs


async def ready_assessment(platform: Platform, assessment: Assessment) -> int:
    """Wait until scoring has the assessment; returns its current revision."""
    _, results = await results_when(platform, assessment.assessment_id, lambda _: True)
    return int(results["revision"])


async def one_submission(
    platform: Platform, watcher: ResultsWatcher, key: str, body: Json, applied: int, revision: int
) -> tuple[float, float, float]:
    """(accepted, results visible, event seen) in seconds after the POST started."""
    started = time.perf_counter()
    await platform.call("intake", "POST", "/v1/submissions", key=key, body=body)
    accepted = time.perf_counter()
    visible, _ = await results_when(platform, body["assessment_id"], applied_at_least(applied))
    seen = await watcher.arrival(body["assessment_id"], revision)
    return accepted - started, visible - started, seen - started


async def sequential(
    platform: Platform, watcher: ResultsWatcher, key: str, assessment: Assessment, count: int
) -> list[Latencies]:
    revision = await ready_assessment(platform, assessment)
    rows: list[tuple[float, float, float]] = []
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("sequential submissions", total=count)
        for index in range(count):
            body = submission(assessment, index)
            rows.append(
                await one_submission(platform, watcher, key, body, index + 1, revision + index + 1)
            )
            progress.advance(task)
    accepted, visible, seen = zip(*rows, strict=True)
    return [
        Latencies("POST /v1/submissions answered (202)", list(accepted)),
        Latencies("-> results visible at scoring (polled 20 ms)", list(visible)),
        Latencies("-> mgi.results.updated.v1 consumed", list(seen)),
        Latencies(f"   same, first {min(10, count)} submissions", list(seen[:10])),
        Latencies(f"   same, last {min(10, count)} submissions", list(seen[-10:])),
    ]


async def burst(
    platform: Platform,
    watcher: ResultsWatcher,
    key: str,
    assessments: list[Assessment],
    per_assessment: int,
) -> BurstFigures:
    for assessment in assessments:
        await ready_assessment(platform, assessment)
    bodies = [submission(a, i) for i in range(per_assessment) for a in assessments]
    gate = asyncio.Semaphore(BURST_CONCURRENCY)
    with Progress(console=console, transient=True) as progress:
        sending = progress.add_task("burst: posting", total=len(bodies))
        scoring = progress.add_task("burst: handled by scoring", total=len(bodies))
        _, handled_before = handling_totals(await platform.metrics("scoring"), SUBMISSIONS_ACCEPTED)

        async def post(body: Json) -> None:
            async with gate:
                await platform.call("intake", "POST", "/v1/submissions", key=key, body=body)
            progress.advance(sending)

        async def all_handled() -> float:
            deadline = time.perf_counter() + TIMEOUT_SECONDS
            while time.perf_counter() < deadline:
                metrics = await platform.metrics("scoring")
                handled = handling_totals(metrics, SUBMISSIONS_ACCEPTED)[1] - handled_before
                progress.update(scoring, completed=handled)
                if handled >= len(bodies):
                    return time.perf_counter() - started
                await asyncio.sleep(BURST_POLL_SECONDS)
            raise RuntimeError(f"scoring did not handle the burst within {TIMEOUT_SECONDS:.0f} s")

        started = time.perf_counter()
        watching = asyncio.create_task(all_handled())
        await asyncio.gather(*(post(b) for b in bodies))
        accept_seconds = time.perf_counter() - started
        reflected_seconds = await watching
    # Handled is not yet proven applied: every assessment's results must show all its answers.
    for assessment in assessments:
        await results_when(platform, assessment.assessment_id, applied_at_least(per_assessment))
    await asyncio.sleep(1.0)  # let the last events arrive before counting them
    return BurstFigures(
        submissions=len(bodies),
        accept_seconds=accept_seconds,
        reflected_seconds=reflected_seconds,
        events=watcher.count({a.assessment_id for a in assessments}),
    )


# ---------------------------------------------------------------- where scoring's time goes


def handling_totals(metrics_text: str, topic: str) -> tuple[float, float]:
    """(sum of seconds, count) of mgi_record_handling_seconds for one topic."""
    total = count = 0.0
    for family in text_string_to_metric_families(metrics_text):
        if family.name != "mgi_record_handling_seconds":
            continue
        for sample in family.samples:
            if sample.labels.get("topic") != topic:
                continue
            if sample.name.endswith("_sum"):
                total += sample.value
            elif sample.name.endswith("_count"):
                count += sample.value
    return total, count


async def scoring_handling_ms(
    platform: Platform, measured: Callable[[], Awaitable[object]]
) -> tuple[object, float | None]:
    """Runs `measured`; returns its result and scoring's mean handling time per accepted record."""
    before = handling_totals(await platform.metrics("scoring"), SUBMISSIONS_ACCEPTED)
    result = await measured()
    after = handling_totals(await platform.metrics("scoring"), SUBMISSIONS_ACCEPTED)
    records = after[1] - before[1]
    return result, ((after[0] - before[0]) / records * 1000) if records else None


# ---------------------------------------------------------------- report


def latency_table(rows: list[Latencies], kafka: Latencies, healthz: Latencies) -> Table:
    table = Table(title=f"Latency, ms (sequential: {SEQUENTIAL} submissions, one at a time)")
    for column in ("path", "n", "p50", "p95", "max", "p50 / Kafka p50", "p50 / healthz p50"):
        table.add_column(column, justify="left" if column == "path" else "right")
    for row in (kafka, healthz, *rows):
        table.add_row(row.label, str(len(row.seconds)), f"{row.p50:.1f}", f"{row.p95:.1f}",
                      f"{row.max:.1f}", f"{row.p50 / kafka.p50:.1f}", f"{row.p50 / healthz.p50:.1f}")  # fmt: skip
        if row is healthz:
            table.add_section()
    return table


def burst_table(figures: BurstFigures, kafka_throughput: float, assessments: int) -> Table:
    table = Table(
        title=f"Burst: {figures.submissions} submissions over {assessments} assessments, "
        f"{BURST_CONCURRENCY} in flight"
    )
    table.add_column("figure")
    table.add_column("value", justify="right")
    end_to_end = figures.submissions / figures.reflected_seconds
    rows = [
        ("baseline: raw Kafka produce -> consume, records/s", f"{kafka_throughput:.0f}"),
        ("intake accepted (all POSTs answered), submissions/s",
         f"{figures.submissions / figures.accept_seconds:.1f}"),
        ("end to end (all handled by scoring), submissions/s", f"{end_to_end:.1f}"),
        ("Kafka records/s / end-to-end submissions/s", f"{kafka_throughput / end_to_end:.0f}"),
        ("time until all POSTs answered, s", f"{figures.accept_seconds:.2f}"),
        ("time until scoring handled all (its /metrics), s", f"{figures.reflected_seconds:.2f}"),
        ("results.updated events seen (<= submissions: late answers may change nothing)",
         str(figures.events)),
    ]  # fmt: skip
    for label, value in rows:
        table.add_row(label, value)
    return table


# ---------------------------------------------------------------- main


async def run(admin: str, config: stack.StackConfig) -> None:
    settings = config.settings
    run_id = uuid.uuid4().hex[:8]
    async with httpx.AsyncClient(timeout=60) as http:
        platform = Platform(http, settings, admin)
        console.print("· baselines: Kafka round trips and /healthz")
        kafka, kafka_throughput = await kafka_round_trips(
            settings.kafka_bootstrap_servers,
            BASELINE_ROUNDS,
            BURST_ASSESSMENTS * BURST_PER_ASSESSMENT,
        )
        healthz = await healthz_round_trips(platform, BASELINE_ROUNDS)
        version, by_domain = await national_indicators(platform)
        key = await submitter_key(platform)
        console.print(f"· creating assessments IDN-bench{run_id}*-national")
        setup_started = time.perf_counter()
        single = await create_assessment(
            platform, f"IDN-bench{run_id}-national", version, by_domain
        )
        many = [
            await create_assessment(
                platform, f"IDN-bench{run_id}b{i:02d}-national", version, by_domain
            )
            for i in range(BURST_ASSESSMENTS)
        ]
        setup = time.perf_counter() - setup_started
        calls = (1 + BURST_ASSESSMENTS) * (2 + len(ACTORS))
        console.print(
            f"  {calls} set-up calls in {setup:.1f} s ({setup / calls * 1000:.0f} ms each)"
        )
        watcher = ResultsWatcher(settings.kafka_bootstrap_servers)
        await watcher.start()
        try:
            rows, handling = await scoring_handling_ms(
                platform, lambda: sequential(platform, watcher, key, single, SEQUENTIAL)
            )
            assert isinstance(rows, list)
            console.print(latency_table(rows, kafka, healthz))
            console.print(f"scoring's mean handling of one accepted submission: {_ms(handling)}")
            figures, burst_handling = await scoring_handling_ms(
                platform, lambda: burst(platform, watcher, key, many, BURST_PER_ASSESSMENT)
            )
            assert isinstance(figures, BurstFigures)
            console.print(burst_table(figures, kafka_throughput, len(many)))
            console.print(f"scoring's mean handling during the burst: {_ms(burst_handling)}")
        finally:
            await watcher.stop()


def _ms(value: float | None) -> str:
    """Scoring's mgi_record_handling_seconds, mean over the records of one phase."""
    return "n/a" if value is None else f"{value:.1f} ms (mgi_record_handling_seconds)"


def main() -> None:
    quiet_client_libraries()
    config = stack.StackConfig.from_environment()
    admin = asyncio.run(stack.up(config, lambda line: console.print(f"· {line}")))
    started = time.perf_counter()
    asyncio.run(run(admin, config))
    console.print(f"total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
