"""Publishes inbound records intake refused to `mgi.submissions.rejected.v1`.

Published directly rather than through an outbox: nothing is stored for a
rejected record, and if this publish fails the consumer retries the record.
`original` keeps at most ORIGINAL_MAX_CHARS of the record, so the rejection of a record as
large as the inbound topic allows still fits in a rejected record (Kafka's 1 MiB default).
A redelivered record is rejected again under the same event id, so consumers
(notifications) drop the repeat.
"""

import hashlib
import json
from uuid import NAMESPACE_URL, UUID, uuid5

from faststream.kafka import KafkaBroker

from mgi_shared.contracts import topics
from mgi_shared.contracts.payloads import EventType, SubmissionRejected, SubmissionRejectedData
from mgi_shared.kafka.publishing import publish_in_trace
from mgi_shared.kafka.records import InboundRecord
from mgi_shared.problems import Problem

# The longest assessment or submission id an event carries (EventEnvelope.assessment_id).
MAX_CLAIMED = 128


class RejectionPublisher:
    def __init__(self, broker: KafkaBroker) -> None:
        self._broker = broker

    async def reject(
        self,
        record: InboundRecord,
        reason: str,
        problems: list[Problem],
        assessment_id: str | None,
        jurisdiction: str | None,
    ) -> None:
        """`assessment_id` and `jurisdiction` come from one place (see `claimed_assessment`),
        so a rejection reaches the subscribers of the assessment it names."""
        errors = [p.as_dict() for p in problems]
        event = SubmissionRejected(
            event_id=rejection_event_id(record),
            event_type=EventType.SUBMISSION_REJECTED,
            assessment_id=assessment_id,
            jurisdiction=jurisdiction,
            data=SubmissionRejectedData(
                reason=reason, errors=errors, submission_id=claimed_ids(record.value)[1]
            ),
            reason=reason,
            errors=errors,
            original=original_text(record.value),
            source_topic=record.topic,
            source_partition=record.partition,
            source_offset=record.offset,
        )
        await publish_in_trace(
            self._broker,
            event.model_dump_json().encode(),
            topics.SUBMISSIONS_REJECTED,
            key=assessment_id.encode() if assessment_id else None,
            headers={"content-type": "application/json"},
        )


# Enough to recognise any record by; the rest of a larger one is cut, and said so.
ORIGINAL_MAX_CHARS = 64 * 1024


def original_text(raw: bytes) -> str:
    text = raw[: ORIGINAL_MAX_CHARS * 4].decode("utf-8", "replace")
    if len(text) <= ORIGINAL_MAX_CHARS and len(raw) <= ORIGINAL_MAX_CHARS * 4:
        return text
    return f"{text[:ORIGINAL_MAX_CHARS]}... [cut: the record has {len(raw)} bytes]"


def rejection_event_id(record: InboundRecord) -> UUID:
    """The same record (topic, partition, offset and content) always gets the same id."""
    content = hashlib.sha256(record.value).hexdigest()[:32]
    where = f"{record.topic}:{record.partition}:{record.offset}:{content}"
    return uuid5(NAMESPACE_URL, f"mgi:rejected:{where}")


def claimed_assessment(record: InboundRecord) -> str | None:
    """The assessment a refused record is about: the one its body names, else its key
    (unless the key is longer than an assessment id may be: the event could not carry it)."""
    claimed = claimed_ids(record.value)[0] or record.key_text
    return claimed if claimed is None or len(claimed) <= MAX_CLAIMED else None


def claimed_ids(raw: bytes) -> tuple[str | None, str | None]:
    """(assessment id, submission id) as far as a refused record still shows them."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than json reads
        return None, None
    if not isinstance(body, dict):
        return None, None
    found = (body.get("assessment_id"), body.get("submission_id"))
    return tuple(v if _claimable(v) else None for v in found)  # type: ignore[return-value]


def _claimable(value: object) -> bool:
    """Whether an event can carry `value` as an id: text, short enough, valid UTF-8."""
    if not isinstance(value, str) or len(value) > MAX_CLAIMED:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, which JSON can carry and UTF-8 cannot
        return False
    return True
