"""Publishes inbound records intake refused to `mgi.submissions.rejected.v1`.

Published directly rather than through an outbox: nothing is stored for a
rejected record, and if this publish fails the consumer retries the record.
"""

import json

from faststream.kafka import KafkaBroker

from mgi_shared.contracts import topics
from mgi_shared.contracts.payloads import EventType, SubmissionRejected, SubmissionRejectedData
from mgi_shared.kafka.records import InboundRecord
from mgi_shared.problems import Problem


class RejectionPublisher:
    def __init__(self, broker: KafkaBroker) -> None:
        self._broker = broker

    async def reject(
        self,
        record: InboundRecord,
        reason: str,
        problems: list[Problem],
        jurisdiction: str | None = None,
    ) -> None:
        errors = [p.as_dict() for p in problems]
        assessment_id, submission_id = _ids_of(record.value)
        assessment_id = assessment_id or record.key_text
        event = SubmissionRejected(
            event_type=EventType.SUBMISSION_REJECTED,
            assessment_id=assessment_id,
            jurisdiction=jurisdiction,
            data=SubmissionRejectedData(reason=reason, errors=errors, submission_id=submission_id),
            reason=reason,
            errors=errors,
            original=record.value.decode("utf-8", "replace"),
            source_topic=record.topic,
            source_partition=record.partition,
            source_offset=record.offset,
        )
        await self._broker.publish(
            event.model_dump_json().encode(),
            topics.SUBMISSIONS_REJECTED,
            key=assessment_id.encode() if assessment_id else None,
            headers={"content-type": "application/json"},
        )


def _ids_of(raw: bytes) -> tuple[str | None, str | None]:
    """Whatever ids a refused record still shows, so operators can find its sender."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        return None, None
    if not isinstance(body, dict):
        return None, None
    found = (body.get("assessment_id"), body.get("submission_id"))
    return tuple(v if isinstance(v, str) and len(v) <= 128 else None for v in found)  # type: ignore[return-value]
