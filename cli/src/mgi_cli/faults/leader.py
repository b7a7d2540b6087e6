"""The leader scenario, as Kafka's own replication tests do it: SIGKILL the broker that leads
most partitions of the inbound topic, bring it back, wait until every replica is in sync
again, and do it again, five times, while the stream goes on. With producers at acks=all and
idempotent, replication factor 3 and min.insync.replicas=2, an acknowledged record survives
the loss of its leader: nothing acknowledged may be lost, nothing may be done twice."""

import asyncio
import time
from collections import Counter
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient

from mgi_cli.console import log
from mgi_cli.faults.options import LEADER_KILLS
from mgi_cli.faults.own_stack import FaultStack
from mgi_shared.contracts.topics import SUBMISSIONS_INBOUND, all_topics

RESTART_AFTER_SECONDS = 2.0
IN_SYNC_TIMEOUT_SECONDS = 180.0


async def _describe(bootstrap: str, topics: list[str]) -> list[dict[str, Any]]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
    await admin.start()
    try:
        described: list[dict[str, Any]] = await admin.describe_topics(topics)
        return described
    finally:
        await admin.close()


async def busiest_leader(bootstrap: str) -> int:
    """The node id leading most partitions of the inbound topic."""
    [inbound] = await _describe(bootstrap, [SUBMISSIONS_INBOUND])
    leaders = Counter(int(p["leader"]) for p in inbound["partitions"] if int(p["leader"]) >= 0)
    return leaders.most_common(1)[0][0]


async def all_in_sync(bootstrap: str, replicas: int) -> bool:
    try:
        described = await _describe(bootstrap, [t.name for t in all_topics()])
    except Exception:  # a broker still starting: not in sync yet
        return False
    return all(
        len(p["isr"]) >= replicas and int(p["leader"]) >= 0
        for topic in described
        for p in topic["partitions"]
    )


async def kill_leaders(stack: FaultStack, kills: int = LEADER_KILLS) -> list[float]:
    """Seconds from each kill until every replica was in sync again."""
    back: list[float] = []
    bootstrap = stack.settings.kafka_bootstrap_servers
    replicas = stack.config.kafka_brokers
    for number in range(1, kills + 1):
        leader = await busiest_leader(bootstrap)
        log(f"kill {number}/{kills}: broker {leader}, leader of the inbound topic")
        killed = time.monotonic()
        stack.kill(f"kafka-{leader}")
        await asyncio.sleep(RESTART_AFTER_SECONDS)
        await stack.up()
        deadline = time.monotonic() + IN_SYNC_TIMEOUT_SECONDS
        while not await all_in_sync(bootstrap, replicas):
            if time.monotonic() > deadline:
                raise RuntimeError(f"replicas not back in sync {IN_SYNC_TIMEOUT_SECONDS:.0f} s "
                                   f"after broker {leader} restarted")  # fmt: skip
            await asyncio.sleep(1.0)
        back.append(time.monotonic() - killed)
    return back
