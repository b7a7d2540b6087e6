"""OpenTelemetry messaging semantic-convention attributes of a consumed record's span."""

from mgi_shared.contracts.topics import API_KEYS
from mgi_shared.kafka.records import InboundRecord

# Every contract topic but the API key topic is keyed by assessment id (contract, section 8).
NOT_KEYED_BY_ASSESSMENT = frozenset({API_KEYS})


def assessment_of(record: InboundRecord) -> str | None:
    if record.topic in NOT_KEYED_BY_ASSESSMENT:
        return None
    return record.key_text or None


def consumer_span_attributes(record: InboundRecord, group: str) -> dict[str, str | int]:
    attributes: dict[str, str | int] = {
        "messaging.system": "kafka",
        "messaging.operation.type": "process",
        "messaging.operation.name": "process",
        "messaging.destination.name": record.topic,
        "messaging.destination.partition.id": str(record.partition),
        "messaging.kafka.offset": record.offset,
        "messaging.kafka.message.offset": record.offset,
        "messaging.consumer.group.name": group,
        "messaging.kafka.consumer.group": group,
        "mgi.attempt": record.attempt,
    }
    if record.key_text is not None:
        attributes["messaging.kafka.message.key"] = record.key_text
    return attributes
