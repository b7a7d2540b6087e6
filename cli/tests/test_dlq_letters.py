from datetime import UTC, datetime, timedelta

import pytest

from mgi_cli.dlq.letters import DeadLetter, matches, parse_since
from mgi_shared.kafka import records as h

pytestmark = pytest.mark.unit

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def letter(at: datetime = NOW) -> DeadLetter:
    headers = {h.ORIGINAL_TOPIC: "mgi.submissions.accepted.v1", h.ORIGINAL_PARTITION: "3",
               h.ORIGINAL_OFFSET: "41", h.ATTEMPT: "4", h.ERROR: "ValueError: bad",
               h.NOT_BEFORE: "1.0", "traceparent": "00-abc-def-01"}  # fmt: skip
    return DeadLetter("mgi.scoring.dlq.v1", at, b"IDN-2024-national", b"{}", headers)


def test_since_reads_iso_times_and_spans_back_from_now() -> None:
    assert parse_since("2h", NOW) == NOW - timedelta(hours=2)
    assert parse_since("7d", NOW) == NOW - timedelta(days=7)
    assert parse_since("2026-11-27T09:00", NOW) == datetime(2026, 11, 27, 9, tzinfo=UTC)
    assert parse_since("2026-11-27T09:00+03:00", NOW) == datetime(2026, 11, 27, 6, tzinfo=UTC)
    with pytest.raises(ValueError, match="--since 'yesterday'"):
        parse_since("yesterday", NOW)


def test_a_topic_names_the_dead_letter_topic_or_the_original_one() -> None:
    assert matches(letter(), "mgi.scoring.dlq.v1", None)
    assert matches(letter(), "mgi.submissions.accepted.v1", None)
    assert not matches(letter(), "mgi.intake.dlq.v1", None)
    assert matches(letter(), None, NOW - timedelta(minutes=1))
    assert not matches(letter(NOW - timedelta(hours=3)), None, NOW - timedelta(hours=2))


def test_a_replay_keeps_the_senders_headers_and_drops_the_bookkeeping() -> None:
    assert letter().replay_headers() == {"traceparent": "00-abc-def-01"}
    assert letter().origin == "mgi.submissions.accepted.v1[3]@41"
