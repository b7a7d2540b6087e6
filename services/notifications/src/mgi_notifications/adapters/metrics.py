"""The service's own Prometheus metrics, beside the shared ones: labels are channels and
outcomes only, never an address."""

from prometheus_client import Counter

from mgi_shared.metrics import REGISTRY

SEND_ATTEMPTS = Counter(
    "mgi_notification_send_attempts",
    "Attempts to send a delivery, by channel (email, webhook) and outcome (sent, retry, failed)",
    ["channel", "outcome"],
    registry=REGISTRY,
)
DELIVERIES_STORED = Counter(
    "mgi_notification_deliveries_stored",
    "Deliveries stored, by channel and kind (single, digest)",
    ["channel", "kind"],
    registry=REGISTRY,
)
