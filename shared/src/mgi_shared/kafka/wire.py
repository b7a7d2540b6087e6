"""Events as they travel: UTF-8 JSON, within the size a Kafka record may have."""

import json
from typing import Any

# aiokafka's default max_request_size, and Kafka's default message.max.bytes, are 1 MiB.
MAX_RECORD_BYTES = 1_048_576
# What is left for the event itself after the record batch's framing, key and headers.
MAX_EVENT_BYTES = MAX_RECORD_BYTES - 16_384


def event_bytes(event: dict[str, Any]) -> bytes:
    """JSON in UTF-8: escaping non-ASCII would triple the size of a submission in Arabic or
    Chinese and push it over the record limit."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
