"""Every Kafka topic the platform uses, named in one place (contract section 8)."""

from dataclasses import dataclass, field

SUBMISSIONS_INBOUND = "mgi.submissions.inbound.v1"
SUBMISSIONS_REJECTED = "mgi.submissions.rejected.v1"
SUBMISSIONS_ACCEPTED = "mgi.submissions.accepted.v1"
ASSESSMENTS_CHANGED = "mgi.assessments.changed.v1"
RESULTS_UPDATED = "mgi.results.updated.v1"
PUBLICATIONS = "mgi.publications.v1"
# Additive to the contract: API keys (hash, role, scope; never the key) for every service.
API_KEYS = "mgi.apikeys.v1"

SERVICES = ("intake", "scoring", "publishing", "notifications")

# Keyed topics get enough partitions for several replicas per consumer group;
# ordering only matters per assessment, which the key preserves.
KEYED_PARTITIONS = 6
# Retry and dead-letter topics are low volume and read by one replica at a time.
SIDE_PARTITIONS = 3


def retry_topic(service: str) -> str:
    """Where a service parks a record whose handling failed, to try again later."""
    return f"mgi.{service}.retry.v1"


def dead_letter_topic(service: str) -> str:
    """Where a record ends after its last failed attempt, for operators to inspect."""
    return f"mgi.{service}.dlq.v1"


# Other systems' records may be larger than an HTTP body (1 MiB): the inbound topic takes up
# to 4 MiB so that intake, not the sender's producer, refuses them, by name, on the rejected
# topic (`too_large`). Kafka's default for every other topic stays 1 MiB.
INBOUND_TOPIC_CONFIG = {"max.message.bytes": str(4 * 1024 * 1024)}

# The latest event per key is the current state of that key (an API key, an assessment):
# compacted and never expired, so a service deployed later still learns every key and assessment.
STATE_TOPIC_CONFIG = {"cleanup.policy": "compact", "retention.ms": "-1"}


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    description: str
    config: dict[str, str] = field(default_factory=dict)


def all_topics() -> list[TopicSpec]:
    """The topics `mgi stack up` creates; the broker never auto-creates topics."""
    contract = [
        TopicSpec(
            SUBMISSIONS_INBOUND,
            KEYED_PARTITIONS,
            "submissions from other systems",
            INBOUND_TOPIC_CONFIG,
        ),
        TopicSpec(SUBMISSIONS_REJECTED, KEYED_PARTITIONS, "invalid inbound submissions"),
        TopicSpec(SUBMISSIONS_ACCEPTED, KEYED_PARTITIONS, "validated, stored submissions"),
        TopicSpec(
            ASSESSMENTS_CHANGED,
            KEYED_PARTITIONS,
            "assessment created or status changed",
            STATE_TOPIC_CONFIG,
        ),
        TopicSpec(RESULTS_UPDATED, KEYED_PARTITIONS, "new results revision"),
        TopicSpec(PUBLICATIONS, KEYED_PARTITIONS, "portal publication attempts"),
        TopicSpec(API_KEYS, 1, "API keys created or revoked, in order", STATE_TOPIC_CONFIG),
    ]
    side = [
        spec
        for service in SERVICES
        for spec in (
            TopicSpec(retry_topic(service), SIDE_PARTITIONS, f"{service}: records to retry"),
            TopicSpec(dead_letter_topic(service), SIDE_PARTITIONS, f"{service}: dead letters"),
        )
    ]
    return contract + side
