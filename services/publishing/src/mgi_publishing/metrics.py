"""Publishing's own Prometheus metrics (served at /metrics with the shared ones)."""

from prometheus_client import Counter

from mgi_shared.metrics import REGISTRY

PUBLICATIONS = Counter(
    "mgi_publications_total",
    "Profile publications that ended, by portal target and outcome",
    ["target", "outcome"],
    registry=REGISTRY,
)
PORTAL_ATTEMPTS = Counter(
    "mgi_portal_attempts_total",
    "Requests or writes to the portal, by target and status (succeeded, retrying, failed)",
    ["target", "status"],
    registry=REGISTRY,
)
