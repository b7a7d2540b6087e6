"""What every record handled leaves behind, however it was handled: its log line."""

import logging
from typing import Any

from mgi_shared.kafka.records import InboundRecord

# The name it always had: operators filter on it.
logger = logging.getLogger("mgi_shared.kafka.reliable")


def log_handled(record: InboundRecord, outcome: str, elapsed: float, **more: Any) -> None:
    """One line per record, inside its span so it carries the trace ids (and, from
    about_assessment, the assessment id)."""
    logger.log(
        logging.INFO if outcome == "ok" else logging.WARNING,
        "record handled",
        extra={
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "attempt": record.attempt,
            "outcome": outcome,
            "duration_ms": round(elapsed * 1000, 1),
            **more,
        },
    )
