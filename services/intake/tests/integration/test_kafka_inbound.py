"""Submissions over `mgi.submissions.inbound.v1`: same rules as HTTP, refusals to the rejected topic."""

import json
from typing import Any
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer

from mgi_shared.contracts import topics
from mgi_shared.testing.kafka import eventually

pytestmark = pytest.mark.integration


async def publish(intake: Any, values: list[bytes], key: str | None) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=intake.bootstrap, acks="all")
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(
                topics.SUBMISSIONS_INBOUND, value, key=key.encode() if key else None
            )
    finally:
        await producer.stop()


async def test_a_record_delivered_twice_is_stored_and_emitted_once(intake: Any) -> None:
    assessment_id = await intake.assessment("IDN")
    body = intake.submission_body(assessment_id)
    raw = json.dumps(body).encode()
    await publish(intake, [raw, raw], assessment_id)
    await eventually(lambda: intake.db.submissions.find_one({"_id": body["submission_id"]}))
    stored = await intake.settled("submissions", body["submission_id"])
    assert stored["source"] == "kafka"
    # The second copy is handled once the submission after it is: wait for that one.
    marker = intake.submission_body(assessment_id)
    await publish(intake, [json.dumps(marker).encode()], assessment_id)
    await eventually(lambda: intake.db.submissions.find_one({"_id": marker["submission_id"]}))
    await intake.settled("submissions", marker["submission_id"])
    events = await intake.events(topics.SUBMISSIONS_ACCEPTED, assessment_id=assessment_id)
    ids = [e["data"]["submission_id"] for e in events]
    assert ids == [body["submission_id"], marker["submission_id"]]
    assert all(e["data"]["source"] == "kafka" for e in events)


async def test_poison_records_are_rejected_and_the_consumer_moves_on(intake: Any) -> None:
    assessment_id = await intake.assessment("IDN")
    good = intake.submission_body(assessment_id)
    schema_error = intake.submission_body(
        assessment_id,
        answers=[
            {"indicator": "ZZZ-1.01", "value": "yes"},
            {"indicator": "RGT-1.01", "value": "maybe"},
        ],
    )
    unknown_assessment = intake.submission_body(f"IDN-{uuid4().hex}")
    not_assigned = intake.submission_body(
        assessment_id, answers=[{"indicator": "GOV-1.01", "value": "no"}]
    )
    conflicting = {**good, "answers": [{"indicator": "RGT-1.01", "value": "no"}]}
    poison = [
        b"\xff\xfe not json at all " + assessment_id.encode(),
        json.dumps(schema_error).encode(),
        json.dumps(unknown_assessment).encode(),
        json.dumps(not_assigned).encode(),
        json.dumps(good).encode(),
        json.dumps(conflicting).encode(),
    ]
    await publish(intake, poison, assessment_id)
    await eventually(lambda: intake.db.submissions.find_one({"_id": good["submission_id"]}))

    async def rejected() -> list[Any]:
        found = await intake.events(topics.SUBMISSIONS_REJECTED, assessment_id=assessment_id)
        unknown = await intake.events(
            topics.SUBMISSIONS_REJECTED, assessment_id=unknown_assessment["assessment_id"]
        )
        everything = found + unknown
        return everything if len(everything) >= 5 else []

    records = await eventually(rejected)
    by_reason = {(r["reason"], r["data"]["submission_id"]): r for r in records}
    assert set(by_reason) == {
        ("not_json", None),
        ("schema", schema_error["submission_id"]),
        ("invalid", unknown_assessment["submission_id"]),
        ("invalid", not_assigned["submission_id"]),
        ("conflict", good["submission_id"]),
    }
    not_json = by_reason[("not_json", None)]
    assert not_json["source_topic"] == topics.SUBMISSIONS_INBOUND
    assert isinstance(not_json["source_offset"], int)
    assert not_json["source_partition"] >= 0
    assert "not json at all" in not_json["original"]
    assert not_json["event_type"] == "submission.rejected"
    schema = by_reason[("schema", schema_error["submission_id"])]
    # Every problem at once, as over HTTP: the schema's and the assessment's.
    assert schema["errors"] == [
        {"field": "answers[0].indicator", "message": "unknown indicator code 'ZZZ-1.01'"},
        {
            "field": "answers[1].value",
            "message": "'maybe' is not one of yes, partial, no, not_applicable, unknown",
        },
    ]
    assert json.loads(schema["original"]) == schema_error
    assert schema["jurisdiction"] == "IDN"
    assigned = by_reason[("invalid", not_assigned["submission_id"])]
    assert assigned["errors"][0]["field"] == "answers[0].indicator"
    for refused in (schema_error, unknown_assessment, not_assigned):
        assert await intake.db.submissions.find_one({"_id": refused["submission_id"]}) is None


async def test_a_rejection_names_one_assessment_and_its_jurisdiction(intake: Any) -> None:
    indonesia = await intake.assessment("IDN")
    kenya = await intake.assessment("KEN")
    # Keyed to one assessment, about another: the body decides, for both fields.
    body = intake.submission_body(kenya, actor_id="nobody-here")
    await publish(intake, [json.dumps(body).encode()], indonesia)

    async def rejected() -> list[Any]:
        return await intake.events(topics.SUBMISSIONS_REJECTED,
                                   submission_id=body["submission_id"])  # fmt: skip

    [rejection] = await eventually(rejected)
    assert (rejection["assessment_id"], rejection["jurisdiction"]) == (kenya, "KEN")


async def test_an_unknown_field_is_rejected_by_name_as_over_http(intake: Any) -> None:
    assessment_id = await intake.assessment("IDN")
    body = intake.submission_body(assessment_id, priority="high")
    await publish(intake, [json.dumps(body).encode()], assessment_id)

    async def rejected() -> list[Any]:
        return await intake.events(topics.SUBMISSIONS_REJECTED,
                                   submission_id=body["submission_id"])  # fmt: skip

    [rejection] = await eventually(rejected)
    assert rejection["reason"] == "schema"
    assert rejection["errors"] == [{"field": "priority", "message": "unknown field (given 'high')"}]
    assert await intake.db.submissions.find_one({"_id": body["submission_id"]}) is None


async def test_a_record_over_the_body_limit_is_rejected_as_too_large_with_its_start_kept(
    intake: Any,
) -> None:
    """Found by `mgi faults`: the rejection of a 2 MiB record carried the whole record, so it
    could not be published (Kafka's 1 MiB) nor parked, and the record stayed unhandled."""
    assessment_id = await intake.assessment("IDN")
    big = intake.submission_body(assessment_id)
    big["answers"][0]["evidence"] = "x" * (2 * 1024 * 1024)
    after = intake.submission_body(assessment_id)
    producer = AIOKafkaProducer(bootstrap_servers=intake.bootstrap, acks="all",
                                max_request_size=3 * 1024 * 1024)  # fmt: skip
    await producer.start()
    try:
        for body in (big, after):
            await producer.send_and_wait(topics.SUBMISSIONS_INBOUND, json.dumps(body).encode(),
                                         key=assessment_id.encode())  # fmt: skip
    finally:
        await producer.stop()
    await eventually(lambda: intake.db.submissions.find_one({"_id": after["submission_id"]}))

    async def rejected() -> list[Any]:
        return await intake.events(topics.SUBMISSIONS_REJECTED, assessment_id=assessment_id)

    [record] = await eventually(rejected)
    assert record["reason"] == "too_large"
    assert record["errors"][0]["field"] == "body"
    assert record["original"].startswith('{"submission_id": "' + big["submission_id"])
    assert len(record["original"]) < 70 * 1024 and "[cut: the record has" in record["original"]
    assert await intake.db.submissions.find_one({"_id": big["submission_id"]}) is None
