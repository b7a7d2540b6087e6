"""How long a stopping service may take, in one place: the deployments' grace periods must
exceed the sum (Compose's stop_grace_period 40 s, Kubernetes' terminationGracePeriodSeconds 45 s),
or the orchestrator kills the process before in-flight records are committed.

On SIGTERM the web server first drains requests, then the lifespan stops the broker, which
waits for in-flight handlers; these run one after the other.
"""

HTTP_DRAIN_SECONDS = 10
BROKER_DRAIN_SECONDS = 20
# Cancelling background relays and closing the database client.
CLOSE_SECONDS = 5
TOTAL_SECONDS = HTTP_DRAIN_SECONDS + BROKER_DRAIN_SECONDS + CLOSE_SECONDS
