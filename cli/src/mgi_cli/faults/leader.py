"""The leader scenario: SIGKILL the broker leading the inbound topic's busiest partition,
five times under load, each time bringing it back before the next kill."""

from mgi_cli.faults.own_stack import FaultStack


async def kill_leaders(stack: FaultStack, pause_seconds: float) -> None:
    raise NotImplementedError("needs a three-broker cluster")
