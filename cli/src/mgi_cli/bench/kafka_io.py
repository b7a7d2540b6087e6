"""Publishing submissions on the inbound topic, as another system would, at full speed."""

import asyncio
import json
from collections.abc import Sequence

from aiokafka import AIOKafkaProducer

from mgi_cli.bench.progress import progress_bar
from mgi_cli.bench.workload import Json
from mgi_shared.contracts.topics import SUBMISSIONS_INBOUND

# Acknowledged records are awaited in chunks: the progress bar moves, and memory stays flat.
CHUNK = 500


def submission_producer(bootstrap: str) -> AIOKafkaProducer:
    """acks=all and idempotent like the platform's own producers; a short linger lets records
    sent at full speed share batches, as any high-volume publisher would configure."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5
    )


def encoded(body: Json) -> tuple[bytes, bytes]:
    """(value, key): the contract's key is the assessment id."""
    return json.dumps(body).encode(), str(body["assessment_id"]).encode()


async def publish_all(producer: AIOKafkaProducer, bodies: Sequence[Json], label: str) -> None:
    """Send every body without waiting for each acknowledgement in turn."""
    with progress_bar() as progress:
        task = progress.add_task(label, total=len(bodies))
        for start in range(0, len(bodies), CHUNK):
            chunk = bodies[start : start + CHUNK]
            pending = []
            for body in chunk:
                value, key = encoded(body)
                pending.append(await producer.send(SUBMISSIONS_INBOUND, value, key=key))
            await asyncio.gather(*pending)
            progress.advance(task, len(chunk))
