"""One rich console for the CLI, and the log function the stack code reports through."""

import logging

from rich.console import Console

console = Console()


def log(message: str) -> None:
    console.print(f"[dim]·[/dim] {message}", highlight=False)


def quiet_client_libraries() -> None:
    """aiokafka logs every refused connection while we wait for a starting broker."""
    for name in ("aiokafka", "kafka"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
