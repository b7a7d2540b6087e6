"""One trace from a submission to the last alert, through real processes of all four services,
exported over OTLP/HTTP to a receiver this test runs; `mgi trace` on it; nothing sensitive in
any log line or exported span.

Ports 28781-28789 are this test's own (services, SMTP, webhook receiver, OTLP receiver).
"""

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from aiosmtpd.controller import Controller

from mgi_cli.traces.otlp import span_records
from mgi_cli.traces.store import SpanStore
from mgi_shared.testing.calls import as_caller_in, wait_for
from mgi_shared.testing.receivers import Mailbox, Received, receivers
from mgi_shared.testing.stack import running_stack

pytestmark = pytest.mark.e2e

PORTS = {"INTAKE_PORT": 28781, "SCORING_PORT": 28782,
         "PUBLISHING_PORT": 28783, "NOTIFICATIONS_PORT": 28784}  # fmt: skip
SMTP_PORT, WEBHOOK_PORT, OTLP_PORT = 28787, 28788, 28789
ADMIN = "obs-admin-token-" + uuid4().hex
EMAIL = f"obs-{uuid4().hex[:8]}@ministry.example.org"
WEBHOOK_PATH = f"/hooks/{uuid4().hex}"
SERVICES = {"mgi-intake", "mgi-scoring", "mgi-publishing", "mgi-notifications"}


def _collection(span: dict[str, Any]) -> str | None:
    attributes = span["attributes"]
    return attributes.get("db.collection.name") or attributes.get("db.mongodb.collection")


@pytest.fixture(scope="module")
def platform(infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Received]]:  # type: ignore[no-untyped-def]
    data_dir, received = tmp_path_factory.mktemp("observability"), Received()
    servers = receivers(received, OTLP_PORT, WEBHOOK_PORT)
    smtp = Controller(Mailbox(received), hostname="127.0.0.1", port=SMTP_PORT)
    smtp.start()
    env = {"OTEL_TRACES_EXPORTER": "otlp",
           "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{OTLP_PORT}",
           "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(SMTP_PORT),
           "MGI_DELIVERY_SWEEP_SECONDS": "0.2"}  # fmt: skip
    try:
        with running_stack(infra, data_dir, PORTS, ADMIN, "obs", extra_env=env):
            yield data_dir, received
    finally:
        smtp.stop()
        for server in servers:
            server.shutdown()


def consumer_spans(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The platform's own spans of handling one record (`<topic> process`)."""
    return [s for s in spans if s["name"].startswith("mgi.") and s["name"].endswith(" process")]


def url(service: str) -> str:
    return f"http://127.0.0.1:{PORTS[f'{service.upper()}_PORT']}"


def call(method: str, address: str, key: str = ADMIN, **kwargs: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}", **kwargs.pop("headers", {})}
    return httpx.request(method, address, headers=headers, timeout=30, **kwargs)


def traced_call(trace_id: str, method: str, address: str, **kwargs: Any) -> httpx.Response:
    """A call continuing the caller's trace (made current too: an instrumented httpx in this
    process would otherwise rewrite `traceparent`)."""
    with as_caller_in(trace_id) as traceparent:
        return call(method, address, headers=traceparent, **kwargs)


def prepare_assessment() -> tuple[str, str, list[str]]:
    """An assessment in data collection with one actor; returns its id, a submitter key and
    the actor's indicators."""
    intake = url("intake")
    catalogue = next(c for c in call("GET", f"{intake}/v1/catalogues").json()
                     if c["scope"] == "national")["version"]  # fmt: skip
    codes = [i["code"] for i in call("GET", f"{intake}/v1/catalogues/{catalogue}").json()["indicators"]][:3]  # fmt: skip
    aid = f"IDN-obs{uuid4().hex[:8]}-national"
    body = {"assessment_id": aid, "jurisdiction": {"code": "IDN", "name": "Indonesia", "parent": None},
            "scope": "national", "round": 1, "catalogue_version": catalogue, "languages": ["en"]}  # fmt: skip
    assert call("POST", f"{intake}/v1/assessments", json=body).status_code == 201
    actor = {"name": "Ministry of Foreign Affairs", "cluster": "partnerships", "indicators": codes}
    assert (
        call("PUT", f"{intake}/v1/assessments/{aid}/actors/idn-mofa", json=actor).status_code == 200
    )
    assert call("POST", f"{intake}/v1/assessments/{aid}/status",
                json={"status": "data_collection"}).status_code == 200  # fmt: skip
    key = call("POST", f"{intake}/v1/api-keys", json={"role": "submitter", "jurisdictions": ["IDN"],
               "label": "obs"}).json()["key"]  # fmt: skip
    return aid, key, codes


def subscribe() -> str:
    """An email and a webhook subscription for IDN; returns the webhook's secret."""
    notifications = url("notifications")
    mail = {"channel": "email", "address": EMAIL, "jurisdictions": ["IDN"],
            "events": ["assessment.status_changed", "publication.succeeded"]}  # fmt: skip
    assert call("POST", f"{notifications}/v1/subscriptions", json=mail).status_code == 201
    hook = {"channel": "webhook", "address": f"http://127.0.0.1:{WEBHOOK_PORT}{WEBHOOK_PATH}",
            "jurisdictions": ["IDN"], "events": ["submission.accepted", "publication.succeeded"]}  # fmt: skip
    created = call("POST", f"{notifications}/v1/subscriptions", json=hook)
    assert created.status_code == 201, created.text
    return str(created.json()["secret"])


def test_one_trace_from_submission_to_the_last_alert(platform: tuple[Path, Received]) -> None:
    data_dir, received = platform
    intake = url("intake")
    aid, key, codes = prepare_assessment()
    webhook_secret = subscribe()
    trace_id, submission_id = uuid4().hex, str(uuid4())
    submission = {"submission_id": submission_id, "assessment_id": aid, "actor_id": "idn-mofa",
                  "language": "en", "submitted_at": "2023-05-10T09:30:00Z",
                  "answers": [{"indicator": codes[0], "value": "yes"}]}  # fmt: skip
    sent = traced_call(trace_id, "POST", f"{intake}/v1/submissions", json=submission, key=key)
    assert sent.status_code == 202, sent.text
    wait_for(lambda: call("GET", f"{url('scoring')}/v1/assessments/{aid}/results").json()
             .get("submissions_applied", 0) >= 1)  # fmt: skip
    for status in ("draft_profile", "consultation"):
        assert call("POST", f"{intake}/v1/assessments/{aid}/status",
                    json={"status": status}).status_code == 200  # fmt: skip
    validated = traced_call(trace_id, "POST", f"{intake}/v1/assessments/{aid}/status",
                            json={"status": "validated"})  # fmt: skip
    assert validated.status_code == 200, validated.text
    wait_for(lambda: call("GET", f"{intake}/v1/assessments/{aid}").json()["status"] == "published")
    wait_for(lambda: any(b"publication.succeeded" in body for body in received.webhooks))
    wait_for(lambda: any(aid.encode() in mail for mail in received.mails))

    def roots(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = {s["span_id"] for s in spans}
        return [s for s in spans if s["parent"] not in ids]

    def whole_trace() -> list[dict[str, Any]]:
        """The trace once every service's spans and every span's parent have arrived (a
        parent is exported when it ends, after its children)."""
        spans = [s for s in received.spans() if s["trace_id"] == trace_id]
        names = {s["name"] for s in spans}
        complete = ({s["service"] for s in consumer_spans(spans)} == SERVICES
                    and {"smtp send", "webhook POST"} <= names and len(roots(spans)) == 2)  # fmt: skip
        return spans if complete else []

    try:
        spans = wait_for(whole_trace, timeout=30)
    except AssertionError:
        found = [s for s in received.spans() if s["trace_id"] == trace_id]
        raise AssertionError(f"incomplete trace; roots: {roots(found)}") from None
    # Only the two calls this test made (parents outside the platform) start the trace.
    assert {s["service"] for s in roots(spans)} == {"mgi-intake"}
    assert any(s["attributes"].get("db.system") == "mongodb" for s in spans), "no pymongo spans"
    consumed = consumer_spans(spans)
    assert {s["service"] for s in consumed} == SERVICES
    for span in consumed:
        attributes = span["attributes"]
        assert attributes["messaging.system"] == "kafka"
        assert attributes["messaging.destination.name"] == span["name"].removesuffix(" process")
        assert {"messaging.destination.partition.id", "messaging.kafka.offset",
                "messaging.consumer.group.name"} <= attributes.keys()  # fmt: skip
        assert attributes["mgi.assessment_id"] == aid
    # Every span but the ASGI body reads and writes and the caller's API key lookup (both
    # before anything names the assessment).
    without = {(s["service"], s["name"]) for s in spans
               if s["attributes"].get("mgi.assessment_id") != aid
               and not s["name"].endswith((" http receive", " http send"))
               and _collection(s) != "api_keys"}  # fmt: skip
    assert not without, without
    assert any(s["attributes"].get("mgi.submission_id") == submission_id for s in spans)
    # One producer span per record sent, and no trace of its own for a batch read (FastStream's
    # middleware made a `create` span for each record sent and each batch read).
    assert [s for s in spans if s["name"].endswith(" publish")]
    assert not [s["name"] for s in received.spans() if s["name"].endswith(" create")]

    # `mgi trace` on the same spans, kept the way the local receiver keeps them.
    store = SpanStore(data_dir / "traces")
    for request in list(received.otlp):
        store.append(span_records(request))
    shown = subprocess.run([sys.executable, "-m", "mgi_cli.main", "trace", submission_id],
                           env={"MGI_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin",
                                "COLUMNS": "200"},
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert f"trace {trace_id}" in shown.stdout
    for service in SERVICES:
        assert service in shown.stdout
    assert "smtp send" in shown.stdout and "  " in shown.stdout.splitlines()[2]

    # Nothing sensitive in any log line or exported span of the whole run.
    logs = "".join(p.read_text(errors="replace") for p in (data_dir / "logs").glob("*.log"))
    assert '"event": "record handled"' in logs and '"event": "http request"' in logs
    assert f'"assessment_id": "{aid}"' in logs
    exported = repr([(s["attributes"], s["texts"]) for s in received.spans()])
    metrics = "".join(httpx.get(f"{url(service)}/metrics").text for service in ("intake", "scoring", "publishing", "notifications"))  # fmt: skip
    for name in ("mgi_records_handled_total", "mgi_record_handling_seconds_bucket",
                 "mgi_outbox_published_total", "mgi_outbox_oldest_unsent_age_seconds",
                 'mgi_consumer_lag{partition=', "mgi_spans_dropped_total",
                 'route="/v1/submissions",service="intake",status="202"',
                 'mgi_notification_send_attempts_total{channel="webhook",outcome="sent"}'):  # fmt: skip
        assert name in metrics, name
    forbidden = [EMAIL, EMAIL.split("@")[0], WEBHOOK_PATH, ADMIN, key, webhook_secret]
    for text in (logs, exported, metrics):
        for secret in forbidden:
            assert secret not in text
    assert any(message_from_bytes(m)["Subject"].startswith("[MGI]") for m in received.mails)


def test_a_kafka_submission_continues_the_records_trace(
    platform: tuple[Path, Received],
    infra,  # type: ignore[no-untyped-def]
) -> None:
    _, received = platform
    aid, _, codes = prepare_assessment()
    trace_id, caller, submission_id = uuid4().hex, uuid4().hex[:16], str(uuid4())
    submission = {"submission_id": submission_id, "assessment_id": aid, "actor_id": "idn-mofa",
                  "language": "en", "submitted_at": "2023-05-10T09:30:00Z",
                  "answers": [{"indicator": codes[0], "value": "yes"}]}  # fmt: skip

    async def send() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=infra.kafka)
        await producer.start()
        try:
            await producer.send_and_wait(
                "mgi.submissions.inbound.v1", json.dumps(submission).encode(), key=aid.encode(),
                headers=[("traceparent", f"00-{trace_id}-{caller}-01".encode())],
            )  # fmt: skip
        finally:
            await producer.stop()

    asyncio.run(send())

    def scored_in_trace() -> list[dict[str, Any]]:
        spans = [s for s in received.spans() if s["trace_id"] == trace_id]
        services = {s["service"] for s in spans}
        # A record's span ends after its children: it may come in a later batch than they.
        taken = any(s["name"] == "mgi.submissions.inbound.v1 process" for s in spans)
        wanted = {"mgi-intake", "mgi-scoring", "mgi-notifications"}
        return spans if taken and wanted <= services else []

    spans = wait_for(scored_in_trace, timeout=30)
    taken = next(s for s in spans if s["name"] == "mgi.submissions.inbound.v1 process")
    assert taken["parent"] == caller and taken["service"] == "mgi-intake"
    assert taken["attributes"]["mgi.submission_id"] == submission_id
    assert taken["attributes"]["mgi.assessment_id"] == aid


def test_a_kobo_submission_continues_the_callers_trace(platform: tuple[Path, Received]) -> None:
    _, received = platform
    aid, key, codes = prepare_assessment()
    trace_id, submission_id = uuid4().hex, str(uuid4())
    payload = {"_uuid": submission_id, "_submission_time": "2023-05-10T09:30:00",
               "identification/actor_id": "idn-mofa", f"group/{codes[0]}": "yes"}  # fmt: skip
    sent = traced_call(trace_id, "POST", f"{url('intake')}/v1/integrations/kobo/{aid}",
                       json=payload, key=key)  # fmt: skip
    assert sent.status_code == 202, sent.text

    def scored_in_trace() -> list[dict[str, Any]]:
        spans = [s for s in received.spans() if s["trace_id"] == trace_id]
        # A record's span (the one naming the submission) ends after its children: it may come
        # in a later batch than they.
        named = any(s["attributes"].get("mgi.submission_id") == submission_id for s in spans)
        scored = {"mgi-intake", "mgi-scoring"} <= {s["service"] for s in spans}
        return spans if named and scored else []

    spans = wait_for(scored_in_trace, timeout=30)
    taken = next(s for s in spans if s["attributes"].get("mgi.submission_id") == submission_id)
    assert taken["attributes"]["mgi.assessment_id"] == aid
