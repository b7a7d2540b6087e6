"""The `mgi dlq` command group: list and replay dead letters."""

import asyncio
from datetime import UTC, datetime

import typer
from rich.table import Table

from mgi_cli.console import console
from mgi_cli.dlq.letters import DeadLetter, matches, parse_since
from mgi_cli.dlq.topics import read_dead_letters, replay
from mgi_shared.contracts.topics import SERVICES, dead_letter_topic
from mgi_shared.settings import PlatformSettings

app = typer.Typer(help="Inspect and replay records that were dead-lettered.", no_args_is_help=True)

TOPIC = typer.Option(
    None, "--topic", help="a dead-letter topic (mgi.scoring.dlq.v1) or the topic the records "
    "first came from (mgi.submissions.accepted.v1); default: every service's dead letters"
)  # fmt: skip
SINCE = typer.Option(
    None, "--since", help="only those dead-lettered since: 2026-11-27T09:00, 2h, 7d"
)


@app.command("list")
def list_letters(topic: str | None = TOPIC, since: str | None = SINCE) -> None:
    """Show dead letters: when, from where, how many attempts, and the last error."""
    letters = _selected(topic, since)
    table = Table(title=f"{len(letters)} dead letter(s)")
    for column in ("dead-lettered at (UTC)", "from", "key", "attempts", "last error"):
        table.add_column(column)
    for letter in letters:
        key = letter.key.decode("utf-8", "replace") if letter.key else ""
        when = letter.dead_lettered_at.strftime("%Y-%m-%d %H:%M:%S")
        table.add_row(when, letter.origin, key, letter.attempts, letter.error[:120])
    console.print(table)


@app.command("replay")
def replay_letters(topic: str | None = TOPIC, since: str | None = SINCE) -> None:
    """Send dead letters back to their original topics, for a fresh set of attempts."""
    letters = _selected(topic, since)
    settings = PlatformSettings()
    sent = asyncio.run(replay(settings, letters))
    console.print(f"replayed {sent} dead letter(s) to their original topics")


def _selected(topic: str | None, since: str | None) -> list[DeadLetter]:
    try:
        since_at = parse_since(since, datetime.now(UTC)) if since else None
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    topics = [dead_letter_topic(service) for service in SERVICES]
    if topic is not None and topic.endswith(".dlq.v1") and topic not in topics:
        topics.append(topic)
    settings = PlatformSettings()
    letters = asyncio.run(read_dead_letters(settings, topics))
    return [letter for letter in letters if matches(letter, topic, since_at)]
