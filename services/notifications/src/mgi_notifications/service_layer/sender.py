"""The background sender: claims due deliveries, sends them, records each attempt.

Claim, then send, then mark, each step a compare-and-set on the stored delivery: two
replicas never send the same delivery at once, and a sender killed mid-send leaves a claim
that runs out (`mgi_delivery_lease_seconds`), after which the delivery is claimed again. A
single delivery is stored already claimed and handed over whole (service_layer.hints), so
its first send reads and claims nothing. The one window that can repeat a send is a crash
after the mail server or receiver accepted it and before the mark: at least once there,
never lost (README, "Deliveries").
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, StatusCode
from pymongo.errors import ConnectionFailure, ExecutionTimeout, WTimeoutError

from mgi_notifications.adapters.deliveries import DeliveryStore, next_moment
from mgi_notifications.adapters.metrics import SEND_ATTEMPTS
from mgi_notifications.adapters.smtp import SmtpMailer
from mgi_notifications.adapters.subscriptions import SubscriptionStore
from mgi_notifications.adapters.webhooks import WebhookPoster
from mgi_notifications.domain.backoff import retry_delay
from mgi_notifications.domain.deliveries import SendError, Status
from mgi_notifications.domain.events import NotificationEvent
from mgi_notifications.domain.rendering import render_mail
from mgi_notifications.domain.signing import canonical_body
from mgi_notifications.domain.subscriptions import Channel, Subscription
from mgi_notifications.domain.webhook_payload import webhook_payload
from mgi_notifications.service_layer.hints import SendHints
from mgi_notifications.settings import NotificationsSettings
from mgi_shared.assessment_context import about_assessment
from mgi_shared.mongo import Document

logger = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)

# Sends at the same time: a slow receiver must not hold up every other delivery.
CONCURRENT_SENDS = 16


# A database outage while a send's outcome is recorded: tried again while the claim lasts.
TRANSIENT_DATABASE_ERRORS = (ConnectionFailure, ExecutionTimeout, WTimeoutError)
MARK_FIRST_PAUSE_SECONDS = 0.5
MARK_MAX_PAUSE_SECONDS = 5.0
CLAIM_MARGIN_SECONDS = 5.0  # stop trying this long before another sender may take it over

T = TypeVar("T")


async def while_claimed(claimed: Document, write: Callable[[], Awaitable[T]]) -> T:
    """Records a send's outcome through a database outage (a restart, a failover) for as long
    as the claim holds. Given up at the first error, a delivery already sent stayed `sending`
    until its lease ran out, and was then claimed and sent again (found by `mgi faults`,
    database-restart: three webhooks twice)."""
    pause = MARK_FIRST_PAUSE_SECONDS
    while True:
        try:
            return await write()
        except TRANSIENT_DATABASE_ERRORS:
            if time.time() + pause > claimed["claimed_until"] - CLAIM_MARGIN_SECONDS:
                raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, MARK_MAX_PAUSE_SECONDS)


def _time_left(claimed: Document) -> bool:
    """Whether a claim made when the delivery was stored leaves time for a send: at least
    CLAIM_MARGIN_SECONDS, or half the lease when that is shorter."""
    until, due = float(claimed["claimed_until"]), float(claimed["due_at"])
    return time.time() < until - min(CLAIM_MARGIN_SECONDS, (until - due) / 2)


def _attempt(outcome: str, error: str | None = None) -> dict[str, Any]:
    return {"at": datetime.now(UTC), "outcome": outcome, "error": error}


def failures_since_redrive(document: Document) -> int:
    attempts = document.get("attempts", [])[document.get("redriven_at_attempt", 0) :]
    return sum(1 for a in attempts if a["outcome"] in ("failed", "interrupted"))


class Sender:
    def __init__(
        self,
        deliveries: DeliveryStore,
        subscriptions: SubscriptionStore,
        mailer: SmtpMailer,
        poster: WebhookPoster,
        hints: SendHints,
        settings: NotificationsSettings,
    ) -> None:
        self._deliveries = deliveries
        self._subscriptions = subscriptions
        self._mailer = mailer
        self._poster = poster
        self._hints = hints
        self._settings = settings
        self._slots = asyncio.Semaphore(CONCURRENT_SENDS)

    async def run_forever(self) -> None:
        sweep_every = self._settings.mgi_delivery_sweep_seconds
        last_sweep = 0.0
        while True:
            named = await self._hints.take(timeout=sweep_every)
            if time.monotonic() - last_sweep >= sweep_every:
                last_sweep = time.monotonic()
                for delivery_id in await self._due_ids():
                    named.setdefault(delivery_id, None)
            await self.deliver_all(named)

    async def _due_ids(self) -> list[str]:
        """Retries that came due, digests whose window closed, claims that ran out."""
        try:
            now = time.time()
            return [i for i, when in await self._deliveries.open_ids() if when <= now]
        except Exception as error:
            logger.warning("delivery sweep failed", extra={"error": type(error).__name__})
            return []

    async def deliver_all(self, named: Mapping[str, Document | None]) -> None:
        """Each delivery named (id -> its document when stored claimed by this process)."""

        async def one(delivery_id: str, claimed: Document | None) -> None:
            async with self._slots:
                try:
                    await self.deliver(delivery_id, claimed)
                except Exception as error:
                    # The delivery stays stored and open; the sweep comes back to it.
                    logger.warning(
                        "delivery pass failed",
                        extra={"delivery_id": delivery_id, "error": type(error).__name__},
                    )

        await asyncio.gather(*(one(i, claimed) for i, claimed in named.items()))

    async def deliver(self, delivery_id: str, claimed: Document | None = None) -> None:
        """Send the delivery if it is due: `claimed` is its document as stored already claimed
        by this process, sent as it is while enough of the claim is left; otherwise the
        delivery is read and claimed first."""
        if claimed is None or not _time_left(claimed):
            # (A stale claim of our own runs out, and the sweep claims the delivery then.)
            claimed = await self._read_and_claim(delivery_id)
            if claimed is None:
                return
        parent = propagate.extract(claimed.get("trace") or {})
        channel = claimed["channel"]
        attributes = {
            "mgi.delivery_id": delivery_id,
            "mgi.subscription_id": claimed["subscription_id"],
            "mgi.assessment_id": claimed["assessment_id"],
            "mgi.events": len(claimed["event_ids"]),
        }
        name = "smtp send" if channel == Channel.EMAIL.value else "webhook POST"
        with (
            tracer.start_as_current_span(
                name, context=parent, kind=SpanKind.CLIENT, attributes=attributes
            ) as span,
            about_assessment(claimed["assessment_id"]),  # on the database spans under it too
        ):
            try:
                await self._send(claimed)
            except SendError as failure:
                span.set_status(StatusCode.ERROR, failure.reason)
                await self._after_failure(claimed, failure)
            else:
                await self._after_success(claimed)

    async def _read_and_claim(self, delivery_id: str) -> Document | None:
        document = await self._deliveries.get(delivery_id)
        when = next_moment(document) if document else None
        if document is None or when is None:
            await self._deliveries.forget(delivery_id)  # a marker left by a crash
            return None
        claimed = await self._claim(document)
        if claimed is None and when > time.time():
            await self._deliveries.remember(delivery_id, when)
        return claimed

    async def _claim(self, document: Document) -> Document | None:
        now = time.time()
        status = document["status"]
        attempts = list(document.get("attempts", []))
        if status in (Status.COLLECTING.value, Status.PENDING.value):
            if document["due_at"] > now:
                return None
        elif status == Status.SENDING.value and document.get("claimed_until", 0) <= now:
            attempts.append(_attempt("interrupted", "the sender stopped before recording"))
        else:
            return None
        lease = self._settings.mgi_delivery_lease_seconds
        return await self._deliveries.replace_if(
            document,
            {"status": Status.SENDING.value, "claimed_until": now + lease, "attempts": attempts},
        )

    async def _send(self, delivery: Document) -> None:
        subscription = await self._subscriptions.get(delivery["subscription_id"])
        if subscription is None:
            raise SendError("the subscription was deleted", permanent=True)
        events = [NotificationEvent.model_validate(e) for e in delivery["events"]]
        try:
            await self._send_to(subscription, events, delivery["_id"])
        except SendError:
            raise
        except Exception as error:
            logger.exception("send failed unexpectedly", extra={"delivery_id": delivery["_id"]})
            raise SendError(type(error).__name__, permanent=False) from None

    async def _send_to(
        self, subscription: Subscription, events: list[NotificationEvent], delivery_id: str
    ) -> None:
        if subscription.channel is Channel.EMAIL:
            mail = render_mail(events, subscription.language, subscription.subscription_id)
            await self._mailer.send(mail, subscription.address, delivery_id)
            return
        [event] = events  # webhooks get every event on its own
        body = canonical_body(webhook_payload(event))
        await self._poster.post(
            subscription.address, body, subscription.secret or "", event.event_id, delivery_id
        )

    async def _after_success(self, delivery: Document) -> None:
        attempts = [*delivery["attempts"], _attempt("sent")]
        changes = {"status": Status.SENT.value, "sent_at": datetime.now(UTC), "attempts": attempts}
        marked = await while_claimed(
            delivery, lambda: self._deliveries.replace_if(delivery, changes)
        )
        SEND_ATTEMPTS.labels(delivery["channel"], "sent").inc()
        if marked is None:
            logger.warning(
                "sent delivery changed meanwhile", extra={"delivery_id": delivery["_id"]}
            )
        else:
            logger.info("delivery sent", extra={"delivery_id": delivery["_id"],
                                                 "events": len(delivery["event_ids"])})  # fmt: skip

    async def _after_failure(self, delivery: Document, failure: SendError) -> None:
        attempts = [*delivery["attempts"], _attempt("failed", failure.reason)]
        failures = failures_since_redrive({**delivery, "attempts": attempts})
        settings = self._settings
        if failure.permanent or failures >= settings.mgi_delivery_max_attempts:
            changes: Document = {"status": Status.FAILED.value, "attempts": attempts}
            await while_claimed(delivery, lambda: self._deliveries.replace_if(delivery, changes))
            SEND_ATTEMPTS.labels(delivery["channel"], "failed").inc()
            logger.warning("delivery failed", extra={"delivery_id": delivery["_id"],
                                                     "reason": failure.reason})  # fmt: skip
            return
        delay = retry_delay(failures, settings.mgi_delivery_retry_base_seconds)
        retry = {"status": Status.PENDING.value, "due_at": time.time() + delay,
                 "attempts": attempts}  # fmt: skip
        await while_claimed(delivery, lambda: self._deliveries.replace_if(delivery, retry))
        SEND_ATTEMPTS.labels(delivery["channel"], "retry").inc()
        logger.info("delivery will be retried", extra={"delivery_id": delivery["_id"],
                                                        "in_s": round(delay, 1),
                                                        "reason": failure.reason})  # fmt: skip


async def redrive(
    deliveries: DeliveryStore, hints: SendHints, delivery_id: str
) -> tuple[Document | None, bool]:
    """A failed delivery back to pending, due now, with a fresh count of attempts.
    (the delivery or None when there is none, whether it was re-driven)."""
    document = await deliveries.get(delivery_id)
    if document is None or document["status"] != Status.FAILED.value:
        return document, False
    changed = await deliveries.replace_if(
        document,
        {"status": Status.PENDING.value, "due_at": time.time(),
         "redriven_at_attempt": len(document["attempts"])},
    )  # fmt: skip
    if changed is None:  # someone else re-drove it just now
        return await deliveries.get(delivery_id), False
    hints.notify(delivery_id)
    return changed, True
