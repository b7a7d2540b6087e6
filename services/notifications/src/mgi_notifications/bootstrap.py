"""Wires the notifications service's handlers and routes onto a running context."""

from mgi_shared.runtime import ServiceContext


async def wire(context: ServiceContext) -> None:
    """Nothing to wire yet: the service serves health, readiness and metrics only."""
