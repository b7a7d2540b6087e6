"""Prometheus metrics every service shares; each service adds its own beside them."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

RECORDS_HANDLED = Counter(
    "mgi_records_handled",
    "Kafka records handled, by outcome: ok, retried, dead_lettered",
    ["service", "topic", "outcome"],
    registry=REGISTRY,
)
HANDLING_SECONDS = Histogram(
    "mgi_record_handling_seconds",
    "Time spent handling one Kafka record",
    ["service", "topic"],
    registry=REGISTRY,
)
OUTBOX_PUBLISHED = Counter(
    "mgi_outbox_published",
    "Events relayed from an outbox to Kafka",
    ["service", "topic"],
    registry=REGISTRY,
)
OUTBOX_PENDING = Gauge(
    "mgi_outbox_pending_documents",
    "Documents with events not yet relayed, at the last sweep of their collection",
    ["service", "collection"],
    registry=REGISTRY,
)
OUTBOX_SET_ASIDE = Counter(
    "mgi_outbox_set_aside",
    "Outbox entries that kept failing to publish while others went through, set aside "
    "(kept on their document under `outbox_set_aside`) so they stop blocking the rest",
    ["service", "collection", "topic"],
    registry=REGISTRY,
)
READY = Gauge(
    "mgi_ready",
    "1 when broker and database answered the last readiness probe",
    ["service"],
    registry=REGISTRY,
)
SPANS_DROPPED = Counter(
    "mgi_spans_dropped",
    "Spans not exported: queue_full (the collector is slow or down and the bounded queue "
    "was full) or export_failed (the collector refused them or could not be reached)",
    ["service", "reason"],
    registry=REGISTRY,
)
HTTP_REQUESTS = Counter(
    "mgi_http_requests",
    "HTTP requests answered, by route template and status",
    ["service", "method", "route", "status"],
    registry=REGISTRY,
)
HTTP_REQUEST_SECONDS = Histogram(
    "mgi_http_request_seconds",
    "Time to answer one HTTP request, by route template",
    ["service", "method", "route"],
    registry=REGISTRY,
)
CONSUMER_LAG = Gauge(
    "mgi_consumer_lag",
    "Records on a partition not yet handled by this service's main consumer group, after "
    "its last batch from that partition (high watermark minus next offset)",
    ["service", "topic", "partition"],
    registry=REGISTRY,
)
OUTBOX_OLDEST_UNSENT_SECONDS = Gauge(
    "mgi_outbox_oldest_unsent_age_seconds",
    "Age of the oldest outbox event this relay has tried to publish and not yet sent "
    "(0 when none is waiting)",
    ["service", "collection"],
    registry=REGISTRY,
)
