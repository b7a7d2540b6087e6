"""A Kafka record as handlers see it, and the headers that follow it through retries."""

from dataclasses import dataclass, field

ORIGINAL_TOPIC = "mgi-original-topic"
ORIGINAL_PARTITION = "mgi-original-partition"
ORIGINAL_OFFSET = "mgi-original-offset"
ATTEMPT = "mgi-attempt"
ERROR = "mgi-error"
NOT_BEFORE = "mgi-not-before"

# Headers the platform sets itself and must not copy blindly onto a retried record.
OWN_HEADERS = {ORIGINAL_TOPIC, ORIGINAL_PARTITION, ORIGINAL_OFFSET, ATTEMPT, ERROR, NOT_BEFORE}


class PermanentError(Exception):
    """Raised by a handler when no retry can help: the record goes straight to dead letters."""


@dataclass(frozen=True)
class InboundRecord:
    """One record to handle, with where it first came from and how often it was tried."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: dict[str, str] = field(default_factory=dict)
    attempt: int = 1

    @property
    def key_text(self) -> str | None:
        return self.key.decode("utf-8", "replace") if self.key is not None else None


def decode_headers(raw: object) -> dict[str, str]:
    """aiokafka gives headers as (name, bytes) pairs; handlers want text."""
    decoded: dict[str, str] = {}
    for name, value in raw or ():  # type: ignore[attr-defined]
        decoded[str(name)] = value.decode("utf-8", "replace") if value is not None else ""
    return decoded


async def left_undecoded(_message: object) -> None:
    """FastStream's decoder for the platform's subscribers: none. Handlers read the raw
    records; FastStream's own decoder would `json.loads` every value first, and a value it
    cannot read that way (arrays nested thousands deep, a 5,000-digit number) raises out of
    decoding, which NACK_ON_ERROR answers by reading the same batch again, forever: one
    such record would block its partition."""
    return None
