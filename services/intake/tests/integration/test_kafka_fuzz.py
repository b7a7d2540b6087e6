"""Hypothesis-made junk on `mgi.submissions.inbound.v1`, on the real broker (issue 14, item 3).

The consumer must never stop and never block its partition: every junk record
lands in `mgi.submissions.rejected.v1`, and a valid submission sent after the
junk, on the same partition, is still accepted.
"""

import json
import string
from typing import Any
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mgi_shared.contracts import topics
from mgi_shared.testing.kafka import eventually

pytestmark = pytest.mark.integration

RECORDS = 150
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=15,
)
# Values that no field of a submission accepts in that place.
wrong = st.sampled_from(
    [
        None,
        7,
        -1.5,
        True,
        "",
        " ",
        "maybe",
        "x" * 300,
        [],
        {},
        ["yes"],
        {"a": 1},
        "2023-13-45",
        "\ud800",
        {"\udfff": "\ud800"},
        10**30,
        float("inf"),
    ]
)
FIELDS = ("submission_id", "assessment_id", "actor_id", "language", "submitted_at", "answers")
ANSWER_FIELDS = ("indicator", "value", "evidence", "sources")


def submission_like(assessment_id: str) -> st.SearchStrategy[dict[str, Any]]:
    """A submission for the real assessment with at least one thing wrong with it, so the
    checks past the schema run too (an unknown indicator code at the least)."""

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        answer = {"indicator": f"ZZZ-{draw(st.integers(0, 99))}", "value": "yes"}
        for name in draw(st.lists(st.sampled_from(ANSWER_FIELDS), max_size=2)):
            answer[name] = draw(wrong)
        body: dict[str, Any] = {
            "submission_id": str(uuid4()),
            "assessment_id": assessment_id,
            "actor_id": draw(st.sampled_from(["idn-mofa", "nobody"])),
            "submitted_at": "2023-05-10T09:30:00Z",
            "answers": [answer, *draw(st.lists(json_values, max_size=2))],
        }
        for name in draw(st.lists(st.sampled_from(FIELDS), max_size=3)):
            body[name] = draw(wrong | json_values)
        if draw(st.booleans()):
            unknown = st.text(string.ascii_lowercase, min_size=1, max_size=8) | st.just("\ud800")
            body[draw(unknown)] = draw(scalars)
        return body

    return build()


def junk_records(assessment_id: str) -> list[bytes]:
    """RECORDS values: raw bytes, any JSON, and broken submissions for the assessment."""
    made: list[bytes] = []
    as_json = st.one_of(json_values, submission_like(assessment_id)).map(
        lambda value: json.dumps(value).encode()
    )
    nested = st.integers(1_000, 100_000).map(lambda depth: b"[" * depth)
    huge_number = st.integers(4_400, 6_000).map(lambda digits: b"1" * digits)

    @settings(max_examples=RECORDS, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.one_of(st.binary(max_size=200), as_json, as_json, as_json, nested, huge_number))
    def collect(value: bytes) -> None:
        made.append(value)

    collect()
    return made


async def test_junk_is_rejected_and_the_partition_keeps_moving(intake: Any) -> None:
    assessment_id = await intake.assessment("IDN")
    junk = junk_records(assessment_id)
    producer = AIOKafkaProducer(bootstrap_servers=intake.bootstrap, acks="all")
    await producer.start()
    try:
        sent = set()
        for position, value in enumerate(junk):
            # Most on the assessment's partition (the one the valid record then uses); some
            # with no key, or with a key no assessment id could be.
            key = [assessment_id.encode(), None, b"\xff" * 300][
                position % 3 if position % 5 == 0 else 0
            ]
            meta = await producer.send_and_wait(topics.SUBMISSIONS_INBOUND, value, key=key)
            sent.add((meta.partition, meta.offset))
        good = intake.submission_body(assessment_id)
        await producer.send_and_wait(
            topics.SUBMISSIONS_INBOUND, json.dumps(good).encode(), key=assessment_id.encode()
        )
    finally:
        await producer.stop()
    # Never blocked: the valid record after the junk is accepted.
    await eventually(
        lambda: intake.db.submissions.find_one({"_id": good["submission_id"]}), timeout=60
    )

    async def rejected_junk() -> set[tuple[int, int]] | None:
        found = {
            (event["source_partition"], event["source_offset"])
            for event in await intake.events(topics.SUBMISSIONS_REJECTED)
            if event.get("source_topic") == topics.SUBMISSIONS_INBOUND
        }
        return sent if sent <= found else None

    # Every junk record is rejected (none went to the retry topic or got lost).
    assert await eventually(rejected_junk, timeout=60) == sent
