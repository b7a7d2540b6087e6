"""A `traceparent` on an HTTP request or inbound record is continued on the accepted event."""

import json
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

from mgi_shared.contracts import topics
from mgi_shared.testing.kafka import eventually

pytestmark = pytest.mark.integration

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e{:04x}"


def traceparent(n: int) -> str:
    return f"00-{TRACE_ID.format(n)}-00f067aa0ba902b7-01"


async def accepted_trace(intake: Any, submission_id: str) -> str:
    await intake.settled("submissions", submission_id)
    stored = await intake.db.submissions.find_one({"_id": submission_id})
    headers = await intake.traceparents(topics.SUBMISSIONS_ACCEPTED, stored["event_id"])
    assert len(headers) == 1
    trace_id: str = headers[0].split("-")[1]
    return trace_id


async def test_http_trace_is_continued(intake: Any) -> None:
    assessment_id = await intake.assessment("IDN")
    body = intake.submission_body(assessment_id)
    headers = {**intake.as_admin(), "traceparent": traceparent(1)}
    # This process instruments httpx (the app set tracing up), which would replace
    # the header with its own span: send it as an outside caller would, as given.
    async with httpx.AsyncClient(base_url=intake.url) as caller:
        HTTPXClientInstrumentor.uninstrument_client(caller)
        answer = await caller.post("/v1/submissions", json=body, headers=headers)
    assert answer.status_code == 202
    assert await accepted_trace(intake, body["submission_id"]) == TRACE_ID.format(1)


async def test_kafka_trace_is_continued(intake: Any) -> None:
    assessment_id = await intake.assessment("IDN")
    body = intake.submission_body(assessment_id)
    producer = AIOKafkaProducer(bootstrap_servers=intake.bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(
            topics.SUBMISSIONS_INBOUND,
            json.dumps(body).encode(),
            key=assessment_id.encode(),
            headers=[("traceparent", traceparent(2).encode())],
        )
    finally:
        await producer.stop()
    await eventually(lambda: intake.db.submissions.find_one({"_id": body["submission_id"]}))
    assert await accepted_trace(intake, body["submission_id"]) == TRACE_ID.format(2)
