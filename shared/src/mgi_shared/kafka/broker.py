"""The one way services build their FastStream Kafka broker."""

import logging

from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware

from mgi_shared.kafka.security import broker_security
from mgi_shared.kafka.wire import MAX_RECORD_BYTES
from mgi_shared.metrics import REGISTRY
from mgi_shared.settings import ServiceSettings
from mgi_shared.shutdown import BROKER_DRAIN_SECONDS

# What the producer buffers per partition while the previous request to it is on its way
# (an idempotent producer has one in flight per partition). A record that finds the buffer full
# waits for that request: at aiokafka's default of 16 KiB, eight events of 2 KB, so an outbox
# relay handing over a batch of a hundred events waited for a dozen round trips one after the
# other, and at 100 submissions/s results.updated left scoring seconds late. Within the
# broker's default limit for one batch (1 MiB).
PARTITION_BATCH_BYTES = 512 * 1024


def bootstrap_list(servers: str) -> list[str]:
    """`h1:9092,h2:9092` -> each broker on its own. FastStream hands a string to aiokafka as
    one host, so a comma-separated list of brokers failed to bootstrap (found by
    `mgi faults --kafka-brokers 3`)."""
    return [server.strip() for server in servers.split(",") if server.strip()]


def make_broker(settings: ServiceSettings) -> KafkaBroker:
    """A broker whose producer waits for all replicas and never writes a record twice.

    aiokafka defaults to acks=1 without idempotence, which can lose or duplicate
    records on a leader change. Traces travel in W3C `traceparent` headers, written by
    `publishing.publish_in_trace` and read by the reliable consumer (`reliable.py`), not by
    FastStream's telemetry middleware (see `publishing` for why).
    """
    return KafkaBroker(
        bootstrap_list(settings.kafka_bootstrap_servers),
        security=broker_security(settings),
        client_id=f"mgi-{settings.service_name}",
        acks="all",
        enable_idempotence=True,
        # Intake refuses events that would not fit (mgi_shared.kafka.wire), against this limit.
        max_request_size=MAX_RECORD_BYTES,
        max_batch_size=PARTITION_BATCH_BYTES,
        graceful_timeout=BROKER_DRAIN_SECONDS,
        middlewares=[KafkaPrometheusMiddleware(registry=REGISTRY, app_name=settings.service_name)],
        logger=logging.getLogger(f"mgi.{settings.service_name}.kafka"),
    )
