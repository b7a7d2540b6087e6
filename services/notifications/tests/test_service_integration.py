"""The real notifications app against real Kafka, database, SMTP server and webhook receiver.

Tests run in file order and share one app (one consumer group); each uses its own
assessments and subscriptions. The last test looks through everything logged and traced
in the module for the addresses and secrets used.
"""

import asyncio
import json
import time
from typing import Any
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer
from pymongo import AsyncMongoClient

from mgi_notifications.domain.signing import verify
from mgi_notifications.testing import (
    accepted,
    publication,
    publish,
    rejected,
    results,
    status_changed,
)
from mgi_shared import runtime
from mgi_shared.contracts.payloads import AssessmentStatus
from mgi_shared.contracts.topics import (
    ASSESSMENTS_CHANGED,
    PUBLICATIONS,
    RESULTS_UPDATED,
    SUBMISSIONS_ACCEPTED,
    SUBMISSIONS_REJECTED,
)
from mgi_shared.testing.commands import Commands, unindexed_filters
from mgi_shared.testing.kafka import eventually
from mgi_shared.testing.metrics import records_handled

pytestmark = pytest.mark.integration

# The fixtures' types (Notifications, SmtpServer, Receiver, Captured) live in this
# directory's conftest.py, which a test module cannot import; they are `Any` here.

ALL_EVENTS = ["submission.accepted", "submission.rejected", "results.conflict",
              "assessment.completed", "assessment.status_changed", "publication.succeeded",
              "publication.failed"]  # fmt: skip


def mailbox_address(captured: Any, name: str) -> str:
    address = f"{name}-{uuid4().hex[:8]}@example.org"
    captured.secrets.add(address)
    return address


def text_of(message: Any) -> str:
    return str(message.get_body(preferencelist=("plain",)).get_content())


def html_of(message: Any) -> str:
    return str(message.get_body(preferencelist=("html",)).get_content())


async def test_subscriptions_api(service: Any, captured: Any) -> None:
    address = mailbox_address(captured, "ops")
    mail = await service.subscribe(channel="email", address=address, jurisdictions=["IDN"],
                                   events=["submission.accepted"], language="fr")  # fmt: skip
    assert mail["subscription_id"] and mail["secret"] is None
    hook = await service.subscribe(channel="webhook", address="http://127.0.0.1:9/x",
                                   jurisdictions=["KEN"], events=ALL_EVENTS)  # fmt: skip
    assert len(hook["secret"]) >= 32
    listed = (await service.http.get("/v1/subscriptions")).json()["subscriptions"]
    mine = {s["subscription_id"]: s for s in listed}
    assert mine[mail["subscription_id"]]["language"] == "fr"
    assert all("secret" not in s for s in listed)

    bad = await service.http.post("/v1/subscriptions", json={
        "channel": "email", "address": "not-an-address", "jurisdictions": ["IDN"],
        "events": ["submission.accepted"]})  # fmt: skip
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "address"
    unknown_event = await service.http.post("/v1/subscriptions", json={
        "channel": "email", "address": address, "jurisdictions": ["IDN"], "events": ["x.y"]})  # fmt: skip
    assert unknown_event.status_code == 422
    assert unknown_event.json()["detail"][0]["field"].startswith("events")
    no_key = await service.http.get("/v1/subscriptions", headers={"Authorization": ""})
    assert no_key.status_code == 401

    assert (
        await service.http.delete(f"/v1/subscriptions/{hook['subscription_id']}")
    ).status_code == 204
    assert (
        await service.http.delete(f"/v1/subscriptions/{hook['subscription_id']}")
    ).status_code == 404


async def test_private_webhook_addresses_are_refused_unless_allowed(service: Any) -> None:
    assert service.app is not None
    settings = service.app.state.context.settings
    # The route reads the setting per request; this app runs with it on for the local receiver.
    settings.mgi_webhook_allow_private = False
    try:
        for url in ("https://127.0.0.1/hook", "http://10.0.0.8/hook", "https://localhost/x",
                    "https://169.254.169.254/latest/meta-data", "http://example.org/hook"):  # fmt: skip
            refused = await service.http.post("/v1/subscriptions", json={
                "channel": "webhook", "address": url, "jurisdictions": ["IDN"],
                "events": ["submission.accepted"]})  # fmt: skip
            assert refused.status_code == 422, url
            assert refused.json()["detail"][0]["field"] == "address"
    finally:
        settings.mgi_webhook_allow_private = True
    allowed = await service.http.post("/v1/subscriptions", json={
        "channel": "webhook", "address": "http://127.0.0.1:9/hook", "jurisdictions": ["ZZZ"],
        "events": ["submission.accepted"]})  # fmt: skip
    assert allowed.status_code == 201


async def test_mails_in_each_language_and_a_digest_of_submissions(
    service: Any, producer: AIOKafkaProducer, smtp: Any, captured: Any
) -> None:
    english = mailbox_address(captured, "en")
    french = mailbox_address(captured, "fr")
    spanish = mailbox_address(captured, "es")
    other = mailbox_address(captured, "other")
    events = ["submission.accepted", "assessment.status_changed", "publication.succeeded"]
    await service.subscribe(channel="email", address=english, jurisdictions=["IDN"],
                            events=events, language="en")  # fmt: skip
    await service.subscribe(channel="email", address=french, jurisdictions=["IDN-JK"],
                            events=events, language="fr")  # fmt: skip
    await service.subscribe(channel="email", address=spanish, jurisdictions=["IDN-JK"],
                            events=["assessment.status_changed"], language="es")  # fmt: skip
    await service.subscribe(channel="email", address=other, jurisdictions=["KEN"],
                            events=events)  # fmt: skip
    aid = f"IDN-JK-{uuid4().hex[:8]}"
    await publish(producer, ASSESSMENTS_CHANGED, status_changed(
        aid, "IDN-JK", "Jakarta Raya", AssessmentStatus.DATA_COLLECTION,
        AssessmentStatus.LAUNCHED))  # fmt: skip
    await eventually(lambda: len(smtp.mailbox.to(spanish)) == 1, timeout=30)
    # Digest windows are fixed slices of time: the burst starts at the beginning of one, so the
    # whole window is left to read it (begun near its end, a slow read mails the rest alone).
    window = service.settings().mgi_digest_seconds
    await asyncio.sleep(window - time.time() % window + 0.05)
    submissions = [accepted(aid, "IDN-JK") for _ in range(5)]
    for event in submissions:
        await publish(producer, SUBMISSIONS_ACCEPTED, event)
    await publish(producer, SUBMISSIONS_ACCEPTED, submissions[0])  # delivered twice by Kafka

    def digests(address: str) -> list[Any]:
        return [m for m in smtp.mailbox.to(address) if "submission" in text_of(m).lower()
                or "soumission" in text_of(m).lower()]  # fmt: skip

    await eventually(lambda: digests(english) and digests(french), timeout=30)
    await asyncio.sleep(4)  # a second digest (a repeat, a straggler) would arrive by now
    for address in (english, french):
        mails = smtp.mailbox.to(address)
        [status_mail] = [m for m in mails if m not in digests(address)]
        ids = [e.data.submission_id for e in submissions]
        found = "".join(text_of(m) for m in digests(address))
        assert all(found.count(i) == 1 for i in ids), "each submission once, in digests"
        assert len(digests(address)) <= 2, "a burst is gathered, not one mail per event"
        assert status_mail["Subject"].startswith("[MGI] Jakarta Raya")
        assert aid in status_mail["Subject"] and aid in text_of(status_mail)
    assert "collecte des données" in text_of(smtp.mailbox.to(french)[0])
    assert "data collection" in text_of(smtp.mailbox.to(english)[0])
    assert "recopilación de datos" in html_of(smtp.mailbox.to(spanish)[0])
    for address, language in ((english, "en"), (french, "fr"), (spanish, "es")):
        assert {m["Content-Language"] for m in smtp.mailbox.to(address)} == {language}
    assert smtp.mailbox.to(other) == []

    location = f"https://portal.example.org/profiles/{aid}"
    await publish(producer, PUBLICATIONS, publication(aid, "IDN-JK", location))
    await eventually(lambda: any(location in text_of(m) for m in smtp.mailbox.to(english)))
    [published] = [m for m in smtp.mailbox.to(english) if location in text_of(m)]
    assert f'href="{location}"' in html_of(published)
    assert "published on the portal" in text_of(published)


async def test_signed_webhooks_once_per_event_with_the_trace(
    service: Any, producer: AIOKafkaProducer, receiver: Any, captured: Any
) -> None:
    path = f"/hook/{uuid4().hex}"
    created = await service.subscribe(channel="webhook", address=receiver.url(path),
                                      jurisdictions=["BRA"], events=ALL_EVENTS)  # fmt: skip
    captured.secrets.update({receiver.url(path), created["secret"], path})
    aid = f"BRA-RJ-{uuid4().hex[:8]}"
    trace_id = uuid4().hex
    traceparent = f"00-{trace_id}-{uuid4().hex[:16]}-01"
    event = accepted(aid, "BRA-RJ")
    await publish(producer, SUBMISSIONS_ACCEPTED, event, traceparent)
    await publish(producer, SUBMISSIONS_ACCEPTED, event, traceparent)  # the same event again
    await publish(producer, SUBMISSIONS_REJECTED, rejected(aid, "BRA-RJ", "bad-1"))
    await publish(producer, RESULTS_UPDATED, results(aid, "BRA-RJ", 1, ["r1"]))
    await publish(producer, RESULTS_UPDATED, results(aid, "BRA-RJ", 2, ["r1"], completed=True))
    await publish(producer, RESULTS_UPDATED, results(aid, "BRA-RJ", 3, ["r1"], completed=True))
    await eventually(lambda: len(receiver.at(path)) >= 4, timeout=30)
    await asyncio.sleep(2)  # any repeat would arrive by now
    bodies = [json.loads(r.body) for r in receiver.at(path)]
    assert sorted(b["event_type"] for b in bodies) == [
        "assessment.completed", "results.conflict", "submission.accepted",
        "submission.rejected"]  # fmt: skip
    for request in receiver.at(path):
        assert verify(created["secret"], request.body, request.headers["x-mgi-signature"])
        assert not verify("another secret", request.body, request.headers["x-mgi-signature"])
    [submission] = [b for b in bodies if b["event_type"] == "submission.accepted"]
    assert submission["event_id"] == str(event.event_id)
    assert submission["data"]["submission_id"] == event.data.submission_id
    assert {"event_id", "event_type", "assessment_id", "jurisdiction", "occurred_at",
            "data"} <= set(submission)  # fmt: skip
    assert submission["assessment_id"] == aid and submission["jurisdiction"] == "BRA-RJ"
    [conflict] = [b for b in bodies if b["event_type"] == "results.conflict"]
    assert conflict["data"]["indicators"] == ["r1"]

    # The POST is a child span in the trace the event came with, under the consumer's span.
    spans = captured.spans.get_finished_spans()
    posts = [
        s for s in spans if s.name == "webhook POST" and s.context.trace_id == int(trace_id, 16)
    ]
    assert len(posts) == 1
    parents = {s.context.span_id: s for s in spans}
    parent = parents.get(posts[0].parent.span_id) if posts[0].parent else None
    assert parent is not None and parent.name.endswith(" process")

    deliveries = await service.deliveries(subscription_id=created["subscription_id"])
    [refusal] = [b for b in bodies if b["event_type"] == "submission.rejected"]
    assert refusal["data"]["submission_id"] == "bad-1"
    assert refusal["data"]["fields"] == ["answers[0].value"]
    assert len(deliveries) == 4 and {d["status"] for d in deliveries} == {"sent"}


async def test_smtp_down_then_back_delivers_once(
    service: Any, producer: AIOKafkaProducer, smtp: Any, captured: Any
) -> None:
    address = mailbox_address(captured, "outage")
    created = await service.subscribe(channel="email", address=address, jurisdictions=["MEX"],
                                      events=["assessment.status_changed"])  # fmt: skip
    aid = f"MEX-{uuid4().hex[:8]}"
    smtp.stop()
    try:
        await publish(producer, ASSESSMENTS_CHANGED, status_changed(
            aid, "MEX", "México", AssessmentStatus.CONSULTATION,
            AssessmentStatus.DRAFT_PROFILE))  # fmt: skip

        async def failed_twice() -> bool:
            found = await service.deliveries(subscription_id=created["subscription_id"])
            return bool(found) and sum(a["outcome"] == "failed" for a in found[0]["attempts"]) >= 2

        await eventually(failed_twice, timeout=30)
        [waiting] = await service.deliveries(subscription_id=created["subscription_id"])
        assert waiting["status"] in ("pending", "sending")
        assert all(address not in (a["error"] or "") for a in waiting["attempts"])
    finally:
        smtp.start()
    await eventually(lambda: smtp.mailbox.to(address), timeout=30)
    await asyncio.sleep(2)
    assert len(smtp.mailbox.to(address)) == 1
    [done] = await service.deliveries(assessment_id=aid)
    assert done["status"] == "sent" and done["attempts"][-1]["outcome"] == "sent"


async def test_a_failed_delivery_can_be_retried(
    service: Any, producer: AIOKafkaProducer, receiver: Any, captured: Any
) -> None:
    path = f"/hook/{uuid4().hex}"
    created = await service.subscribe(channel="webhook", address=receiver.url(path),
                                      jurisdictions=["PER"], events=["publication.failed"])  # fmt: skip
    captured.secrets.update({receiver.url(path), created["secret"], path})
    aid = f"PER-{uuid4().hex[:8]}"
    receiver.status = 410  # a permanent refusal: no automatic retry
    try:
        await publish(producer, PUBLICATIONS, publication(aid, "PER", None, error="HTTP 503"))

        async def failed() -> list[dict[str, Any]]:
            return await service.deliveries(assessment_id=aid, status="failed")

        [failure] = await eventually(failed, timeout=30)
        assert failure["attempts"][-1]["error"] == "receiver answered HTTP 410"
    finally:
        receiver.status = 200
    retried = await service.http.post(f"/v1/deliveries/{failure['delivery_id']}/retry")
    assert retried.status_code == 202, retried.text
    again = await service.http.post(f"/v1/deliveries/{failure['delivery_id']}/retry")
    assert again.status_code == 409
    assert (await service.http.post("/v1/deliveries/nope/retry")).status_code == 404

    async def sent() -> list[dict[str, Any]]:
        return await service.deliveries(assessment_id=aid, status="sent")

    [done] = await eventually(sent, timeout=30)
    assert [a["outcome"] for a in done["attempts"]] == ["failed", "sent"]
    assert len(receiver.at(path)) == 2  # the refused one and the retried one


class Hanging:
    """A mail server connection that never completes: the sender is stopped mid-send."""

    def __init__(self) -> None:
        self.started = asyncio.Event()

    async def send(self, *_: Any) -> None:
        self.started.set()
        await asyncio.Event().wait()


async def test_a_send_killed_midway_is_taken_over_and_sent_once(
    new_service: Any, producer: AIOKafkaProducer, smtp: Any, captured: Any
) -> None:
    first = new_service()
    await first.position()
    address = mailbox_address(captured, "crash")
    aid = f"CHL-{uuid4().hex[:8]}"
    async with first.running() as app:
        hanging = Hanging()
        app.state.sender._mailer = hanging
        await first.subscribe(channel="email", address=address, jurisdictions=["CHL"],
                              events=["assessment.status_changed"])  # fmt: skip
        await publish(producer, ASSESSMENTS_CHANGED, status_changed(
            aid, "CHL", "Chile", AssessmentStatus.VALIDATED, AssessmentStatus.CONSULTATION))  # fmt: skip
        await asyncio.wait_for(hanging.started.wait(), 30)
        [claimed] = await first.deliveries(assessment_id=aid)
        assert claimed["status"] == "sending"
    # The process is gone mid-send; a new one (same database and group) takes the delivery
    # over once the claim runs out, and sends it once.
    second = new_service(first.tag)
    async with second.running():
        await eventually(lambda: smtp.mailbox.to(address), timeout=30)
        await asyncio.sleep(2)
        assert len(smtp.mailbox.to(address)) == 1
        [done] = await second.deliveries(assessment_id=aid)
        assert [a["outcome"] for a in done["attempts"]] == ["interrupted", "sent"]


def commands_sent(monkeypatch: pytest.MonkeyPatch) -> Commands:
    """Every command that services created from here on send to the database."""
    commands = Commands()

    def listened(url: str) -> Any:
        return AsyncMongoClient(url, tz_aware=True, event_listeners=[commands])

    monkeypatch.setattr(runtime, "make_mongo_client", listened)
    return commands


async def test_event_handling_and_sending_read_and_write_by_id(
    new_service: Any,
    producer: AIOKafkaProducer,
    receiver: Any,
    captured: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The local database uses an index only for a filter naming exactly its fields: every
    read and write of an event's path is by `_id` (or `_id` and the guarded `version`), apart
    from the two small whole-collection reads: subscriptions and the open-delivery markers."""
    commands = commands_sent(monkeypatch)
    service = new_service()
    await service.position()
    address = mailbox_address(captured, "indexes")
    aid = f"ARG-{uuid4().hex[:8]}"
    async with service.running() as app:
        await service.subscribe(channel="email", address=address, jurisdictions=["ARG"],
                                events=ALL_EVENTS)  # fmt: skip
        await service.subscribe(channel="webhook", address=receiver.url("/idx"),
                                jurisdictions=["ARG"], events=ALL_EVENTS)  # fmt: skip
        await publish(producer, SUBMISSIONS_ACCEPTED, accepted(aid, "ARG"))
        await publish(producer, RESULTS_UPDATED, results(aid, "ARG", 1, ["r1"]))

        async def all_sent() -> bool:
            found = await service.deliveries(assessment_id=aid)
            return len(found) == 4 and {d["status"] for d in found} == {"sent"}

        commands.sent.clear()
        await eventually(all_sent, timeout=30)
        commands.sent[:] = [c for c in commands.sent if c[0] in ("find", "update", "delete",
                                                                 "insert")]  # fmt: skip
        assert ("update", "deliveries", frozenset({"_id", "version"})) in {
            (n, c, frozenset(f)) for n, c, f in commands.filters_by_collection()
        }, "the listener saw the sender's guarded writes"
        database = app.state.context.db
        missing = await unindexed_filters(database, commands)
        whole_reads = {("find", "subscriptions", ()), ("find", "deliveries_open", ())}
        # GET /v1/deliveries, the test's own polling, is an admin listing (README).
        listing = ("find", "deliveries", ("assessment_id",))
        assert {(n, c, tuple(f)) for n, c, f in missing} - whole_reads - {listing} == set()


async def test_a_submission_nobody_subscribed_to_costs_no_read(
    new_service: Any, producer: AIOKafkaProducer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One record per submission: when no subscription wants its jurisdiction's submission
    events, the record is dropped before anything is read about its assessment."""
    commands = commands_sent(monkeypatch)
    service = new_service()
    await service.position()
    aid = f"URY-{uuid4().hex[:8]}"
    async with service.running():

        async def handled() -> int:
            return records_handled((await service.http.get("/metrics")).text, SUBMISSIONS_ACCEPTED)

        before = await handled()
        await publish(producer, SUBMISSIONS_ACCEPTED, accepted(aid, "URY"))
        await eventually(lambda: _at_least(handled, before + 1), timeout=30)
    about_it = [f for _, _, f in commands.filters_by_collection() if f.get("_id") == aid]
    assert about_it == []


async def test_a_webhook_is_sent_without_reading_back_or_claiming_its_delivery(
    new_service: Any,
    producer: AIOKafkaProducer,
    receiver: Any,
    captured: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A single delivery is stored claimed and handed to the sender whole: its only commands
    are the insert and the mark after the send (and the open-delivery marker's two)."""
    commands = commands_sent(monkeypatch)
    service = new_service()
    await service.position()
    path = f"/hook/{uuid4().hex}"
    aid = f"ECU-{uuid4().hex[:8]}"
    async with service.running():
        created = await service.subscribe(channel="webhook", address=receiver.url(path),
                                          jurisdictions=["ECU"], events=["submission.accepted"])  # fmt: skip
        captured.secrets.update({receiver.url(path), created["secret"], path})
        await publish(producer, SUBMISSIONS_ACCEPTED, accepted(aid, "ECU"))
        await eventually(lambda: receiver.at(path), timeout=30)
        [delivery] = await eventually(
            lambda: service.deliveries(assessment_id=aid, status="sent"), timeout=30
        )
    about_it = [(name, collection) for name, collection, query in commands.filters_by_collection()
                if query.get("_id") == delivery["delivery_id"]]  # fmt: skip
    inserted = [body for name, body in commands.sent
                if name == "insert" and body["insert"] == "deliveries"
                and any(d["_id"] == delivery["delivery_id"] for d in body["documents"])]  # fmt: skip
    assert len(inserted) == 1
    assert about_it == [
        ("update", "deliveries_open"),  # the marker, before the insert
        ("update", "deliveries"),  # sent
        ("delete", "deliveries_open"),
    ]
    assert [a["outcome"] for a in delivery["attempts"]] == ["sent"]


async def _at_least(count: Any, target: int) -> bool:
    return bool(await count() >= target)


async def test_no_address_or_secret_in_logs_spans_or_metrics(service: Any, captured: Any) -> None:
    assert captured.secrets, "earlier tests register what they used"
    logs = captured.logs.getvalue()
    assert "delivery sent" in logs  # the capture works
    spans = captured.spans.get_finished_spans()
    assert any(s.name == "smtp send" for s in spans)
    exported = "\n".join(s.to_json() for s in spans)
    metrics = (await service.http.get("/metrics")).text
    assert 'mgi_notification_send_attempts_total{channel="email",outcome="sent"}' in metrics
    for secret in captured.secrets:
        leaks = [line[:1500] for line in logs.splitlines() if secret in line]
        assert not leaks, leaks[:2]
        assert secret not in exported
        assert secret not in metrics
