"""Notification events become stored deliveries, one per (event, matching subscription).

Stored before anything is sent: the sender works only from what is stored, so a crash at any
point loses nothing, and a repeated event finds its delivery already there. Submission events
for an email subscription join that subscription's digest for the assessment instead.
"""

import time

from opentelemetry import propagate

from mgi_notifications.adapters.deliveries import DeliveryStore
from mgi_notifications.adapters.metrics import DELIVERIES_STORED
from mgi_notifications.adapters.subscriptions import SubscriptionStore
from mgi_notifications.domain.deliveries import Status, digest_id, digest_window, single_id
from mgi_notifications.domain.events import DIGESTED, NotificationEvent, NotificationType
from mgi_notifications.domain.matching import matching, wants
from mgi_notifications.domain.subscriptions import Channel, Subscription
from mgi_notifications.service_layer.hints import SendHints

# A digest changed by someone else between our read and write is read again; bounded, since
# each retry means another writer made progress.
MAX_DIGEST_TRIES = 50


class Recorder:
    def __init__(
        self,
        subscriptions: SubscriptionStore,
        deliveries: DeliveryStore,
        hints: SendHints,
        digest_seconds: float,
        lease_seconds: float,
    ) -> None:
        self._subscriptions = subscriptions
        self._deliveries = deliveries
        self._hints = hints
        self._digest_seconds = digest_seconds
        self._lease_seconds = lease_seconds

    async def wanted(self, kind: NotificationType, jurisdiction: str) -> bool:
        """Whether any subscription asks for `kind` in `jurisdiction`."""
        subscriptions = await self._subscriptions.all()
        return any(wants(s.interest, kind.value, jurisdiction) for s in subscriptions)

    async def record(self, events: list[NotificationEvent]) -> None:
        if not events:
            return
        subscriptions = {s.subscription_id: s for s in await self._subscriptions.all()}
        interests = [s.interest for s in subscriptions.values()]
        # The consumer span is current: the sends continue its trace.
        trace: dict[str, str] = {}
        propagate.inject(trace)
        for event in events:
            for subscription_id in matching(interests, event):
                subscription = subscriptions[subscription_id]
                if subscription.channel is Channel.EMAIL and event.event_type in DIGESTED:
                    await self._into_digest(subscription, event, trace)
                else:
                    await self._single(subscription, event, trace)

    async def _single(
        self, subscription: Subscription, event: NotificationEvent, trace: dict[str, str]
    ) -> None:
        """Stored already claimed by this process's sender (`sending`, under a lease) and handed
        to it whole: due now, it need not be read back and claimed. Should this process stop
        first, the lease runs out and any sender's sweep claims it as for a crash mid-send."""
        delivery_id = single_id(event.event_id, subscription.subscription_id)
        now = time.time()
        document = DeliveryStore.new_document(
            delivery_id, subscription.subscription_id, subscription.channel.value, [event],
            status=Status.SENDING, due_at=now, trace=trace,
            claimed_until=now + self._lease_seconds,
        )  # fmt: skip
        if await self._deliveries.insert(document):
            DELIVERIES_STORED.labels(subscription.channel.value, "single").inc()
            self._hints.notify(delivery_id, document)

    async def _into_digest(
        self, subscription: Subscription, event: NotificationEvent, trace: dict[str, str]
    ) -> None:
        """Add the event to its window's digest, unless it is in it already; a digest already
        being sent takes no more events, so a late one goes out on its own."""
        window, due_at = digest_window(event, self._digest_seconds)
        delivery_id = digest_id(subscription.subscription_id, event.assessment_id, window)
        for _ in range(MAX_DIGEST_TRIES):
            digest = await self._deliveries.get(delivery_id)
            if digest is None:
                document = DeliveryStore.new_document(
                    delivery_id, subscription.subscription_id, subscription.channel.value,
                    [event], status=Status.COLLECTING, due_at=due_at, trace=trace,
                )  # fmt: skip
                if await self._deliveries.insert(document):
                    DELIVERIES_STORED.labels(subscription.channel.value, "digest").inc()
                    self._hints.notify_at(delivery_id, due_at)
                    return
                continue
            if event.event_id in digest["event_ids"]:
                return
            if digest["status"] != Status.COLLECTING.value:
                await self._single(subscription, event, trace)
                return
            if await self._deliveries.append(digest, event):
                return
        raise RuntimeError(f"digest {delivery_id} kept changing; the record will be retried")
