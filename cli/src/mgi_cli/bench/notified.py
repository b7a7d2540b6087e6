"""Submission -> notification sent: during a latency run, one webhook subscriber of the bench's
jurisdiction hears of every accepted submission; when its signed POST arrives is when the
platform's alert reached a user. The subscription exists only for the run."""

import asyncio
import time
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager

from mgi_cli.bench.progress import progress_bar
from mgi_cli.bench.workload import JURISDICTION
from mgi_cli.demo.api import PlatformClient
from mgi_cli.webhook_receiver import ReceiverServer, WebhookReceiver
from mgi_shared.net import free_port


@asynccontextmanager
async def webhook_subscriber(client: PlatformClient) -> AsyncIterator[WebhookReceiver]:
    receiver = WebhookReceiver(port=free_port())
    async with ReceiverServer(receiver):
        created = await client.notifications("POST", "/v1/subscriptions", json={
            "channel": "webhook", "address": receiver.url, "jurisdictions": [JURISDICTION["code"]],
            "events": ["submission.accepted"], "language": "en"})  # fmt: skip
        receiver.secret = created["secret"]
        try:
            yield receiver
        finally:
            await client.notifications("DELETE", f"/v1/subscriptions/{created['subscription_id']}")


async def wait_for_notifications(
    receiver: WebhookReceiver, submission_ids: Collection[str], label: str, max_seconds: float
) -> dict[str, float]:
    """When each of these submissions' notifications arrived (perf_counter), those that did
    within `max_seconds`."""
    wanted = set(submission_ids)
    deadline = time.monotonic() + max_seconds
    with progress_bar() as progress:
        task = progress.add_task(label, total=len(wanted))
        while True:
            arrived = {s: receiver.accepted_at[s] for s in wanted if s in receiver.accepted_at}
            progress.update(task, completed=len(arrived))
            if len(arrived) == len(wanted) or time.monotonic() > deadline:
                return arrived
            await asyncio.sleep(0.05)
