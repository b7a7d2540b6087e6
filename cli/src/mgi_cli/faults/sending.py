"""The stream of submissions, as clients send it through a fault: half over HTTP, half on the
inbound topic, each sent again until it is acknowledged (a 202/200, or the broker's ack).

Sending again is what the contract makes safe: `submission_id` is the idempotency key, so a
repeat of a stored submission is answered 200 and stored once, over HTTP and Kafka alike.
"""

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from mgi_cli.bench.kafka_io import encoded
from mgi_cli.bench.workload import Json
from mgi_shared.contracts.topics import SUBMISSIONS_INBOUND

CLIENTS = 8  # concurrent senders; each takes the next body from one shared list
PAUSE_SECONDS = 0.25  # between two tries of the same body


@dataclass
class Sent:
    """What the platform acknowledged, and what it refused outright (must stay empty)."""

    acknowledged: dict[str, Json] = field(default_factory=dict)  # submission id -> body
    refused: dict[str, str] = field(default_factory=dict)  # submission id -> status and text
    given_up: list[str] = field(default_factory=list)  # never acknowledged before the deadline
    retries: int = 0
    fault_at: int = 0  # once this many are acknowledged, `reached` is set
    reached: asyncio.Event = field(default_factory=asyncio.Event)

    def acknowledge(self, body: Json) -> None:
        self.acknowledged[str(body["submission_id"])] = body
        if len(self.acknowledged) >= self.fault_at:
            self.reached.set()


class Sender:
    def __init__(
        self, intake_url: str, key: str, producer: AIOKafkaProducer, per_second: float | None = None
    ) -> None:
        self._per_second = per_second  # None: as fast as the platform acknowledges
        self._url = f"{intake_url}/v1/submissions"
        self._headers = {"Authorization": f"Bearer {key}"}
        self._producer = producer

    async def send_all(
        self, bodies: Sequence[Json], sent: Sent, deadline: float, advance: Callable[[], None]
    ) -> None:
        """Every body once acknowledged (even ones over HTTP, odd ones on Kafka)."""
        queue = list(enumerate(bodies))
        queue.reverse()
        started = time.monotonic()
        async with httpx.AsyncClient(timeout=15) as http:

            async def client() -> None:
                while queue:
                    index, body = queue.pop()
                    if self._per_second:  # the index-th body is due index / rate s in
                        await asyncio.sleep(started + index / self._per_second - time.monotonic())
                    if index % 2 == 0:
                        await self._post(http, body, sent, deadline)
                    else:
                        await self._publish(body, sent, deadline)
                    advance()

            await asyncio.gather(*(client() for _ in range(CLIENTS)))

    async def _post(self, http: httpx.AsyncClient, body: Json, sent: Sent, deadline: float) -> None:
        submission_id = str(body["submission_id"])
        while time.monotonic() < deadline:
            try:
                response = await http.post(self._url, json=body, headers=self._headers)
            except httpx.HTTPError:
                response = None
            if response is not None and response.status_code in (200, 202):
                sent.acknowledge(body)
                return
            if response is not None and 400 <= response.status_code < 500:
                sent.refused[submission_id] = f"{response.status_code} {response.text[:200]}"
                return
            sent.retries += 1
            await asyncio.sleep(PAUSE_SECONDS)
        sent.given_up.append(submission_id)

    async def _publish(self, body: Json, sent: Sent, deadline: float) -> None:
        value, key = encoded(body)
        while time.monotonic() < deadline:
            try:
                await self._producer.send_and_wait(SUBMISSIONS_INBOUND, value, key=key)
            except KafkaError:
                sent.retries += 1
                await asyncio.sleep(PAUSE_SECONDS)
                continue
            sent.acknowledge(body)
            return
        sent.given_up.append(str(body["submission_id"]))
