"""Commit only after the effect is stored; park failures on retry, then dead-letter topics.

FastStream's default (ACK_FIRST) commits before handling, so a crash loses the
record, and ACK/REJECT_ON_ERROR commit past a failure. Here every handler runs in a
wrapper that never lets its error escape: a failed record is first copied to the
service's retry topic (with its attempt count, error and original position in headers)
and only then counted as done. Only when that copy itself fails does the error escape,
and the consumer seeks back so the record is read again: nothing is committed that is
neither handled nor parked. Fresh records' offsets are committed in the background
(mgi_shared.kafka.commits); the retry reader's, after each record (NACK_ON_ERROR).

An outage of the database or broker is nobody's record's fault: a handler failing with
a connection, timeout or not-primary error is retried in place for up to a minute
(a failover or restart), then parked without spending an attempt, so accepted work is
never dead-lettered by an outage.

Fresh records are taken in batches: records of one key (an assessment, a key id) are
handled in order, records of different keys at the same time, and the batch counts as
done once every record in it is handled or parked. One slow database round trip
then no longer holds up every other assessment behind it.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable

from aiokafka import AIOKafkaConsumer, ConsumerRecord
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.middlewares import AckPolicy
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from pymongo.errors import ConnectionFailure, ExecutionTimeout, WTimeoutError

from mgi_shared.assessment_context import about_assessment
from mgi_shared.contracts.topics import dead_letter_topic, retry_topic
from mgi_shared.kafka import records as h
from mgi_shared.kafka.commits import COMMIT_INTERVAL_SECONDS, OffsetCommitter
from mgi_shared.kafka.handled import log_handled
from mgi_shared.kafka.lag import next_offsets, record_lag
from mgi_shared.kafka.publishing import publish_in_trace
from mgi_shared.kafka.records import (
    InboundRecord,
    PermanentError,
    decode_headers,
    left_undecoded,
)
from mgi_shared.kafka.span_attributes import assessment_of, consumer_span_attributes
from mgi_shared.kafka.together import TogetherHandler, handled_together
from mgi_shared.metrics import HANDLING_SECONDS, RECORDS_HANDLED

Handler = Callable[[InboundRecord], Awaitable[None]]

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 60.0
# Must exceed the slowest handling plus the longest backoff wait, or the group
# rebalances mid-record and the record is handled twice.
MAX_POLL_INTERVAL_MS = 5 * 60 * 1000
# Records taken at most per poll, and keys handled at the same time within them.
BATCH_RECORDS = 200
CONCURRENT_KEYS = 32
# How long a poll waits for records; FastStream sleeps as long again after an empty poll,
# so this bounds the latency an idle consumer adds.
BATCH_WAIT_MS = 10

# A fetch that may gather records is answered once this much is there, or when its wait is over.
GATHER_BYTES = 4 * 1024 * 1024

# Infrastructure errors (ConnectionFailure covers AutoReconnect, NotPrimaryError, NetworkTimeout
# and ServerSelectionTimeoutError): waiting helps, another attempt at the same moment does not.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    ConnectionFailure,
    ExecutionTimeout,
    WTimeoutError,
    KafkaConnectionError,
    KafkaTimeoutError,
)
# How long a record waits in place for the infrastructure, well within MAX_POLL_INTERVAL_MS.
OUTAGE_WAIT_SECONDS = 60.0
OUTAGE_FIRST_PAUSE_SECONDS = 0.5

tracer = trace.get_tracer(__name__)


class OutageError(Exception):
    """The infrastructure stayed unreachable for OUTAGE_WAIT_SECONDS."""


async def through_outages(handler: Handler, record: InboundRecord) -> None:
    """Run the handler, waiting out transient infrastructure errors with a growing pause."""
    waited, pause = 0.0, OUTAGE_FIRST_PAUSE_SECONDS
    while True:
        try:
            await handler(record)
            return
        except TRANSIENT_ERRORS as error:
            if waited >= OUTAGE_WAIT_SECONDS:
                raise OutageError(f"{type(error).__name__}: {error}") from error
            logger.warning(
                "infrastructure unavailable; waiting",
                extra={"topic": record.topic, "waited_s": round(waited, 1), "error": repr(error)},
            )
            await asyncio.sleep(pause)
            waited += pause
            pause = min(pause * 2, 10.0)


def fetch_options(fetch_wait_ms: int) -> tuple[int, int]:
    """(fetch_max_wait_ms, fetch_min_bytes) that let the broker hold a fetch up to
    `fetch_wait_ms` while records gather; 0 gives aiokafka's defaults, an answer as soon as one
    record is there (or after half a second of nothing).

    Fetches, commits, database round trips and spans are paid per batch. Measured at 30
    submissions/s (`mgi bench --rate 30`): publishing and notifications took 4.4-4.6 and
    11.7-12.3 ms of CPU per submission reading records one by one, 1.2 and 2.9 with half a
    second's wait (OFF_PATH_FETCH_WAIT_MS: their readers wait longer anyway, for a portal page
    or a notification). At 100/s, intake and scoring reading each record as it came held one
    per batch and kept the two cores busy; with a 40 ms wait (ON_PATH_FETCH_WAIT_MS, and two
    smaller changes: benchmarks/README.md, session of 2026-12-08) the latency from a submission
    to its results went from 0.59-0.78 s (p50) and 3.0-3.9 s (p99) to 0.27 and 1.1-1.4 s in
    paired runs."""
    if fetch_wait_ms <= 0:
        return 500, 1
    return fetch_wait_ms, GATHER_BYTES


def backoff_seconds(attempt: int, base: float) -> float:
    """Exponential backoff before attempt `attempt + 1`, capped at a minute."""
    return float(min(base * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS))


class ReliableConsumer:
    """Registers a service's handlers, one per topic, plus its retry-topic reader."""

    def __init__(
        self,
        broker: KafkaBroker,
        service: str,
        group_id: str,
        max_attempts: int,
        retry_base_seconds: float,
        commit_interval_seconds: float = COMMIT_INTERVAL_SECONDS,
        fetch_wait_ms: int = 0,
    ) -> None:
        self._broker = broker
        self._service = service
        self._group_id = group_id
        self._max_attempts = max_attempts
        self._retry_base = retry_base_seconds
        self._handlers: dict[str, Handler] = {}
        self._together: dict[str, TogetherHandler] = {}
        self._commits = OffsetCommitter(commit_interval_seconds)
        self._fetch_wait_ms = fetch_wait_ms
        self._registered = False

    def subscribe(
        self, topic: str, handler: Handler, together: TogetherHandler | None = None
    ) -> None:
        """Handle `topic` with `handler`; it must be idempotent (delivery is at least once).
        `together`, if given, takes a batch's records of one key at once (see
        mgi_shared.kafka.together); `handler` still takes every record that comes alone."""
        if self._registered:
            raise RuntimeError("subscribe every topic before register()")
        self._handlers[topic] = handler
        if together is not None:
            self._together[topic] = together

    def register(self) -> None:
        """Create the Kafka consumers, once, before the broker starts.

        All of a service's topics share one consumer, so the group rebalances once at
        start-up instead of once per topic; the retry topic has its own, because its
        backoff waits must not hold up fresh records.
        """
        if self._registered or not self._handlers:
            return
        self._registered = True
        topics = list(self._handlers)

        async def consume_batch(message: KafkaMessage) -> None:
            records = [_inbound(raw) for raw in message.raw_message]
            try:
                await self.dispatch_batch(records)
            except BaseException:
                await message.nack()  # parking failed: the batch is read again
                raise
            consumer = getattr(message, "consumer", None)
            following = next_offsets(records)
            if isinstance(consumer, AIOKafkaConsumer):
                self._commits.handled(consumer, following)
            record_lag(consumer, self._service, following)

        fetch_max_wait_ms, fetch_min_bytes = fetch_options(self._fetch_wait_ms)
        # Committed by self._commits, not by FastStream after each batch (MANUAL).
        self._broker.subscriber(
            *topics,
            group_id=self._group_id,
            batch=True,
            max_records=BATCH_RECORDS,
            batch_timeout_ms=BATCH_WAIT_MS,
            decoder=left_undecoded,
            ack_policy=AckPolicy.MANUAL,
            listener=self._commits.listener(),
            fetch_max_wait_ms=fetch_max_wait_ms,
            fetch_min_bytes=fetch_min_bytes,
            auto_offset_reset="earliest",
            max_poll_interval_ms=MAX_POLL_INTERVAL_MS,
            title=f"{self._service}:{','.join(topics)}",
        )(consume_batch)

        # Its own group too, one record at a time: a member sleeping out a backoff would
        # stall the main group's rebalances (members must rejoin between polls).
        async def consume_retry(message: KafkaMessage) -> None:
            await self._on_retry_record(_inbound(message.raw_message))

        retry = retry_topic(self._service)
        self._broker.subscriber(
            retry,
            group_id=f"{self._group_id}-retry",
            decoder=left_undecoded,
            ack_policy=AckPolicy.NACK_ON_ERROR,
            auto_offset_reset="earliest",
            max_poll_interval_ms=MAX_POLL_INTERVAL_MS,
            title=f"{self._service}:{retry}",
        )(consume_retry)

    async def dispatch_batch(self, records: Iterable[InboundRecord]) -> None:
        """Each key's records in order, different keys at once; returns when every record is
        handled or parked, raising only if parking failed (the batch is then read again)."""
        by_key: dict[tuple[str, int, bytes | None], list[InboundRecord]] = {}
        for record in records:
            by_key.setdefault((record.topic, record.partition, record.key), []).append(record)
        slots = asyncio.Semaphore(CONCURRENT_KEYS)

        async def in_order(same_key: list[InboundRecord]) -> None:
            async with slots:
                together = self._together.get(same_key[0].topic)
                if (
                    together is not None
                    and len(same_key) > 1
                    and await handled_together(together, same_key, self._service, self._group_id)
                ):
                    return
                for record in same_key:
                    await self.dispatch(record)

        await asyncio.gather(*(in_order(same_key) for same_key in by_key.values()))

    async def dispatch(self, record: InboundRecord, group: str | None = None) -> None:
        """Run the handler; on failure park the record, raising only if parking fails.
        `group` is the consumer group that read it (the main one unless said otherwise)."""
        handler = self._handlers[record.topic]
        started = time.perf_counter()
        # The sender's trace goes on through this record's handling and what it emits.
        parent = propagate.extract(record.headers)
        assessment_id = assessment_of(record)
        outcome = "ok"
        with (
            tracer.start_as_current_span(
                f"{record.topic} process",
                context=parent,
                kind=SpanKind.CONSUMER,
                attributes=consumer_span_attributes(record, group or self._group_id),
            ) as span,
            about_assessment(assessment_id),
        ):
            try:
                await through_outages(handler, record)
            except PermanentError as error:
                outcome = await self._park(record, error, dead_letter=True)
            except OutageError as error:
                # Parked for later, as the same attempt: an outage spends none.
                outcome = await self._park(record, error, dead_letter=False, spend_attempt=False)
            except Exception as error:
                span.record_exception(error)
                outcome = await self._park(
                    record, error, dead_letter=record.attempt >= self._max_attempts
                )
            else:
                RECORDS_HANDLED.labels(self._service, record.topic, "ok").inc()
            finally:
                elapsed = time.perf_counter() - started
                HANDLING_SECONDS.labels(self._service, record.topic).observe(elapsed)
            if outcome != "ok":
                span.set_status(Status(StatusCode.ERROR, outcome))
            log_handled(record, outcome, elapsed)

    async def _park(
        self,
        record: InboundRecord,
        error: Exception,
        *,
        dead_letter: bool,
        spend_attempt: bool = True,
    ) -> str:
        """Copy the record to the retry or dead-letter topic; returns which (the outcome)."""
        headers = {k: v for k, v in record.headers.items() if k not in h.OWN_HEADERS}
        # The retry reader counts the next attempt from this header.
        attempts_spent = record.attempt if spend_attempt else record.attempt - 1
        headers.update(
            {
                h.ORIGINAL_TOPIC: record.topic,
                h.ORIGINAL_PARTITION: str(record.partition),
                h.ORIGINAL_OFFSET: str(record.offset),
                h.ATTEMPT: str(attempts_spent),
                h.ERROR: f"{type(error).__name__}: {error}"[:1000],
            }
        )
        if dead_letter:
            target, outcome = dead_letter_topic(self._service), "dead_lettered"
        else:
            target, outcome = retry_topic(self._service), "retried"
            wait = backoff_seconds(max(attempts_spent, 1), self._retry_base)
            headers[h.NOT_BEFORE] = f"{time.time() + wait:.3f}"
        # Parked in the sender's trace, so the retried handling and what it emits stay in it.
        await publish_in_trace(
            self._broker, record.value, target, key=record.key, headers=headers,
            within=record.headers,
        )  # fmt: skip
        RECORDS_HANDLED.labels(self._service, record.topic, outcome).inc()
        logger.warning(
            "record parked",
            extra={"topic": record.topic, "attempt": record.attempt, "outcome": outcome,
                   "error": repr(error)[:500]},
        )  # fmt: skip
        return outcome

    async def _on_retry_record(self, parked: InboundRecord) -> None:
        """Wait out the backoff, then hand the record to its original topic's handler."""
        original_topic = parked.headers.get(h.ORIGINAL_TOPIC, "")
        if original_topic not in self._handlers:
            logger.error("retry record for unknown topic", extra={"topic": original_topic})
            return
        not_before = float(parked.headers.get(h.NOT_BEFORE, "0") or 0)
        delay = min(not_before - time.time(), MAX_BACKOFF_SECONDS)
        if delay > 0:
            await asyncio.sleep(delay)
        await self.dispatch(
            InboundRecord(
                topic=original_topic,
                partition=int(parked.headers.get(h.ORIGINAL_PARTITION, "-1")),
                offset=int(parked.headers.get(h.ORIGINAL_OFFSET, "-1")),
                key=parked.key,
                value=parked.value,
                headers=parked.headers,
                attempt=int(parked.headers.get(h.ATTEMPT, "1")) + 1,
            ),
            group=f"{self._group_id}-retry",
        )


def _inbound(raw: "ConsumerRecord[bytes, bytes]") -> InboundRecord:
    return InboundRecord(
        topic=raw.topic,
        partition=raw.partition,
        offset=raw.offset,
        key=raw.key,
        value=raw.value or b"",
        headers=decode_headers(raw.headers),
    )
