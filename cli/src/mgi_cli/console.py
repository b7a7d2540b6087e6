"""One rich console for the CLI, and the log function the stack code reports through."""

from rich.console import Console

console = Console()


def log(message: str) -> None:
    console.print(f"[dim]·[/dim] {message}", highlight=False)
