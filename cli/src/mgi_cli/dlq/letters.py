"""Dead letters as operators see them: where each came from, how often it was tried, why."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from mgi_shared.kafka import records as h

_DURATION = re.compile(r"^(\d+)([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


@dataclass(frozen=True)
class DeadLetter:
    dead_letter_topic: str
    dead_lettered_at: datetime
    key: bytes | None
    value: bytes
    headers: dict[str, str]

    @property
    def original_topic(self) -> str:
        return self.headers.get(h.ORIGINAL_TOPIC, "?")

    @property
    def origin(self) -> str:
        partition = self.headers.get(h.ORIGINAL_PARTITION, "?")
        return f"{self.original_topic}[{partition}]@{self.headers.get(h.ORIGINAL_OFFSET, '?')}"

    @property
    def attempts(self) -> str:
        return self.headers.get(h.ATTEMPT, "?")

    @property
    def error(self) -> str:
        return self.headers.get(h.ERROR, "")

    def replay_headers(self) -> dict[str, str]:
        """The sender's own headers (its trace among them), without the platform's bookkeeping:
        a replayed record starts again at its first attempt."""
        return {k: v for k, v in self.headers.items() if k not in h.OWN_HEADERS}


def matches(letter: DeadLetter, topic: str | None, since: datetime | None) -> bool:
    """`topic` names either the dead-letter topic or the topic the record first came from."""
    if topic is not None and topic not in (letter.dead_letter_topic, letter.original_topic):
        return False
    return since is None or letter.dead_lettered_at >= since


def parse_since(text: str, now: datetime) -> datetime:
    """An ISO 8601 date or time (UTC unless it says otherwise), or a span back from now:
    `30m`, `2h`, `7d`."""
    duration = _DURATION.match(text.strip())
    if duration:
        amount, unit = duration.groups()
        return now - timedelta(**{_UNITS[unit]: int(amount)})
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise ValueError(
            f"--since {text!r}: give an ISO date or time (2026-11-27, 2026-11-27T09:00) "
            "or a span such as 30m, 2h, 7d"
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
