"""Wait until intake and scoring have handled everything on their topics.

Each phase starts on a quiet platform, so one phase's backlog never slows the next one's
figures. "Handled" is read from the broker: each service commits a record only after its
effect is stored, so a consumer group whose committed offsets reach the end of its topics is
done with them; when that holds for several polls in a row with the topics' ends and the
number of events the outbox relays have published both unchanged, nothing is in flight. The wait is bounded: a platform that cannot drain its backlog in time
is reported (the remaining lag is returned), not waited for forever.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from mgi_cli.bench.progress import progress_bar
from mgi_shared.contracts import topics
from mgi_shared.settings import ServiceSettings

POLL_SECONDS = 0.25
STABLE_POLLS = 3  # a relay between two batches publishes nothing for a moment


def pipeline_groups() -> dict[str, tuple[str, ...]]:
    """Consumer group -> the topics the benchmark's records pass through."""
    return {
        ServiceSettings(service_name="intake").consumer_group: (topics.SUBMISSIONS_INBOUND,),
        ServiceSettings(service_name="scoring").consumer_group: (
            topics.SUBMISSIONS_ACCEPTED, topics.ASSESSMENTS_CHANGED),
    }  # fmt: skip


Activity = Callable[[], Awaitable[float]]  # grows while the relays publish


async def wait_until_idle(
    bootstrap: str, label: str, timeout: float, relayed: Activity,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> int:  # fmt: skip
    """0 once idle; the records still queued if `timeout` passed first."""
    wanted = groups if groups is not None else pipeline_groups()
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await admin.start()
    await reader.start()
    try:
        return await _poll(admin, reader, wanted, label, timeout, relayed)
    finally:
        await reader.stop()
        await admin.close()


async def _poll(
    admin: AIOKafkaAdminClient, reader: AIOKafkaConsumer,
    groups: Mapping[str, Sequence[str]], label: str, timeout: float, relayed: Activity,
) -> int:  # fmt: skip
    deadline = time.monotonic() + timeout
    previous: tuple[int, dict[TopicPartition, int], float] | None = None
    stable, lag = 0, 0
    with progress_bar() as progress:
        task = progress.add_task(label, total=None)
        while time.monotonic() < deadline:
            lag, ends = await _lag(admin, reader, groups)
            current = (lag, ends, await relayed())
            first = progress.tasks[task].total
            if first is None or lag > first:
                progress.update(task, total=max(lag, 1))
            progress.update(task, completed=(progress.tasks[task].total or 0) - lag)
            stable = stable + 1 if lag == 0 and current == previous else 0
            if stable >= STABLE_POLLS:
                progress.update(task, completed=progress.tasks[task].total)
                return 0
            previous = current
            await asyncio.sleep(POLL_SECONDS)
    return max(lag, 1)


async def _lag(
    admin: AIOKafkaAdminClient, reader: AIOKafkaConsumer, groups: Mapping[str, Sequence[str]]
) -> tuple[int, dict[TopicPartition, int]]:
    """(records not yet committed by their group, the end offsets read)."""
    partitions = {
        group: [TopicPartition(t, p) for t in names for p in range(_partitions(t))]
        for group, names in groups.items()
    }
    every = sorted({tp for tps in partitions.values() for tp in tps})
    ends: dict[TopicPartition, int] = await reader.end_offsets(every)
    starts: dict[TopicPartition, int] = await reader.beginning_offsets(every)
    lag = 0
    for group, tps in partitions.items():
        committed = await admin.list_consumer_group_offsets(group, partitions=tps)
        for tp in tps:
            done = committed[tp].offset if tp in committed else -1
            lag += ends[tp] - (done if done >= 0 else starts[tp])
    return lag, ends


def _partitions(topic: str) -> int:
    return 1 if topic == topics.API_KEYS else topics.KEYED_PARTITIONS
