"""When did each submission's results come out? Read from the broker, as a consumer sees them.

scoring's results.updated carries `data.triggered_by`: the id of the submission.accepted
event that caused it, which intake draws at random. So the watcher also reads the accepted
topic, whose events name their `data.submission_id`, and joins the two on that event id.
Both topics are read from their ends, so only this run's records count; records of other
runs are skipped by key (this run's id is part of every assessment id).
"""

import asyncio
import json
import time
from collections import Counter
from collections.abc import Collection

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from mgi_cli.bench.progress import progress_bar
from mgi_shared.contracts.topics import KEYED_PARTITIONS, RESULTS_UPDATED, SUBMISSIONS_ACCEPTED


class PipelineWatcher:
    def __init__(self, bootstrap: str, run_id: str) -> None:
        self._bootstrap = bootstrap
        self._marker = f"XBM-{run_id}-".encode()  # how the run names its assessments
        self._submission_of_event: dict[str, str] = {}
        self._results_of_event: dict[str, float] = {}  # first arrival of what an event caused
        self.results_out: dict[str, float] = {}  # submission id -> perf_counter at arrival
        self.revisions: Counter[str] = Counter()  # results.updated events per assessment
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        # No group: nothing committed, nothing to clean up, and no rebalance to wait for.
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap, group_id=None, fetch_max_wait_ms=50
        )
        await self._consumer.start()
        partitions = [
            TopicPartition(topic, p)
            for topic in (SUBMISSIONS_ACCEPTED, RESULTS_UPDATED)
            for p in range(KEYED_PARTITIONS)  # as `mgi stack up` creates them
        ]
        self._consumer.assign(partitions)
        await self._consumer.seek_to_end(*partitions)
        for partition in partitions:  # resolve the end offsets now, not at the first fetch
            await self._consumer.position(partition)
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
        await self._consumer.stop()

    async def _run(self) -> None:
        while True:
            batch = await self._consumer.getmany(timeout_ms=200)
            arrived = time.perf_counter()
            for partition, records in batch.items():
                for record in records:
                    if self._marker not in (record.key or b""):
                        continue
                    if partition.topic == SUBMISSIONS_ACCEPTED:
                        self._on_accepted(record)
                    else:
                        self._on_results(record, arrived)

    def _on_accepted(self, record: ConsumerRecord[bytes, bytes]) -> None:
        event = json.loads(record.value or b"{}")
        event_id, submission_id = str(event["event_id"]), str(event["data"]["submission_id"])
        self._submission_of_event[event_id] = submission_id
        if event_id in self._results_of_event:  # the results arrived first: topics interleave
            self.results_out.setdefault(submission_id, self._results_of_event[event_id])

    def _on_results(self, record: ConsumerRecord[bytes, bytes], arrived: float) -> None:
        event = json.loads(record.value or b"{}")
        self.revisions[str(event["assessment_id"])] += 1
        triggered_by = event["data"].get("triggered_by")
        if triggered_by is None:  # a rescore or a resolution: no submission caused it
            return
        self._results_of_event.setdefault(triggered_by, arrived)
        submission_id = self._submission_of_event.get(triggered_by)
        if submission_id is not None:
            self.results_out.setdefault(submission_id, arrived)

    def _check_alive(self) -> None:
        if self._task is not None and self._task.done():
            self._task.result()  # raises what stopped the reader
            raise RuntimeError("the results watcher stopped")

    async def wait_for(
        self, submission_ids: Collection[str], label: str, max_seconds: float
    ) -> tuple[dict[str, float], float]:
        """(arrival of each of these submissions' results, when the wait ended). Gives up
        after `max_seconds`: the caller counts what is missing rather than hang."""
        wanted = set(submission_ids)
        started = time.monotonic()
        with progress_bar() as progress:
            task = progress.add_task(label, total=len(wanted))
            while True:
                self._check_alive()
                count = sum(1 for s in wanted if s in self.results_out)
                progress.update(task, completed=count)
                if count == len(wanted) or time.monotonic() - started > max_seconds:
                    seen = {s: self.results_out[s] for s in wanted if s in self.results_out}
                    return seen, time.perf_counter()
                await asyncio.sleep(0.05)
