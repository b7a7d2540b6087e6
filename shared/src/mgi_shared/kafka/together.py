"""Records of one key handled together, for a handler that can store their effects in one write.

A batch often holds several records of one key (one busy assessment's submissions). A handler
that takes them together applies them one after the other in memory and writes once, instead of
once per record. Each record keeps what one-by-one handling gives it: its own consumer span (the
handler enters it, through `Member.within`, while it works on that record, so what it emits
continues that record's trace), its log line and its metrics. When the handler raises, nothing
is lost: the records are then handled one by one, each with its own retry and dead-letter path
(the handler must be idempotent, as every handler is).
"""

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from mgi_shared.assessment_context import about_assessment
from mgi_shared.kafka.handled import log_handled
from mgi_shared.kafka.records import InboundRecord
from mgi_shared.kafka.span_attributes import assessment_of, consumer_span_attributes
from mgi_shared.metrics import HANDLING_SECONDS, RECORDS_HANDLED

logger = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)


@dataclass(frozen=True)
class Member:
    record: InboundRecord
    span: Span

    @contextlib.contextmanager
    def within(self) -> Iterator[None]:
        """This record's span is the current one (and its assessment the current one)."""
        with (
            # Errors are recorded once, by handled_together, which also decides what follows.
            trace.use_span(
                self.span, end_on_exit=False, record_exception=False, set_status_on_exception=False
            ),
            about_assessment(assessment_of(self.record)),
        ):
            yield


# Applies every member's effect, or raises.
TogetherHandler = Callable[[list[Member]], Awaitable[Any]]


async def handled_together(
    handler: TogetherHandler, records: list[InboundRecord], service: str, group_id: str
) -> bool:
    """True when the handler stored every record's effect; False when it raised, and the
    caller must handle the records one by one."""
    started = time.perf_counter()
    members = [
        Member(
            record,
            tracer.start_span(
                f"{record.topic} process",
                context=propagate.extract(record.headers),
                kind=SpanKind.CONSUMER,
                attributes=consumer_span_attributes(record, group_id),
            ),
        )
        for record in records
    ]
    try:
        await handler(members)
    except Exception as error:
        for member in members:
            member.span.record_exception(error)
            member.span.set_status(Status(StatusCode.ERROR, "handled again one by one"))
            member.span.end()
        logger.warning(
            "records of one key failed together; handling them one by one",
            extra={"topic": records[0].topic, "records": len(records), "error": repr(error)[:500]},
        )
        return False
    except BaseException:  # cancelled at shutdown: the records are read again after a restart
        for member in members:
            member.span.end()
        raise
    elapsed = time.perf_counter() - started
    for member in members:
        RECORDS_HANDLED.labels(service, member.record.topic, "ok").inc()
        HANDLING_SECONDS.labels(service, member.record.topic).observe(elapsed)
        with member.within():
            log_handled(member.record, "ok", elapsed, together=len(members))
        member.span.end()
    return True
