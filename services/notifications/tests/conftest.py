"""A real notifications app over the session's Kafka and database, a real SMTP server
(aiosmtpd) and a real webhook receiver, all on free local ports."""

import asyncio
import email
import email.policy
import io
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any
from uuid import uuid4

import httpx
import pytest
import uvicorn
from aiokafka import AIOKafkaProducer
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from mgi_notifications.entrypoints.consumers import TRANSLATIONS
from mgi_notifications.main import create_app
from mgi_notifications.settings import NotificationsSettings
from mgi_shared.contracts.topics import API_KEYS, retry_topic
from mgi_shared.net import free_port
from mgi_shared.testing.apps import serving
from mgi_shared.testing.kafka import eventually, start_services_at_end

ADMIN = f"admin-{uuid4().hex}"


class Mailbox:
    """aiosmtpd handler: keeps every accepted message."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A webhook receiver: an ASGI app that records every request and answers `status`."""

    port: int = field(default_factory=free_port)
    requests: list[Received] = field(default_factory=list)
    status: int = 200

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        self.requests.append(Received(scope["path"], headers, body))
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def at(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]


@dataclass
class Captured:
    """Every log line and span of the module, to look for addresses and secrets in."""

    logs: io.StringIO
    spans: InMemorySpanExporter
    secrets: set[str] = field(default_factory=set)
    attached: bool = False

    def attach(self) -> None:
        """Export the spans of the global provider, which the first service app created in
        this process installed (with the database instrumentation) and our code uses."""
        provider = trace.get_tracer_provider()
        if not self.attached and isinstance(provider, TracerProvider):
            provider.add_span_processor(SimpleSpanProcessor(self.spans))
            self.attached = True


class Notifications:
    def __init__(
        self, infra: Any, smtp: SmtpServer, captured: Captured, tag: str | None = None
    ) -> None:
        self.captured = captured
        self.infra = infra
        self.smtp = smtp
        self.tag = tag or uuid4().hex[:10]
        self.port = free_port()
        self.http = httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{self.port}",
            timeout=10,
            headers={"Authorization": f"Bearer {ADMIN}"},
        )
        self.app: FastAPI | None = None

    def settings(self, **overrides: Any) -> NotificationsSettings:
        values: dict[str, Any] = {
            "mgi_instance": self.tag,
            "kafka_bootstrap_servers": self.infra.kafka,
            "mongodb_url": self.infra.mongodb_url,
            "mgi_admin_token": ADMIN,
            "notifications_port": self.port,
            "smtp_host": "127.0.0.1",
            "smtp_port": self.smtp.port,
            "smtp_timeout_seconds": 5,
            "mgi_webhook_allow_private": True,
            # Longer than a loaded machine may take to read a burst: an event read after its
            # digest went out is (rightly) mailed alone, which the digest test would count.
            "mgi_digest_seconds": 8,
            "mgi_delivery_retry_base_seconds": 0.5,
            "mgi_delivery_sweep_seconds": 0.3,
            "mgi_delivery_lease_seconds": 2,
            "mgi_retry_base_seconds": 0.05,
            **overrides,
        }
        return NotificationsSettings(**values)

    async def position(self) -> None:
        """Start the consumer groups at the topics' ends: earlier tests' events are not ours."""
        topics = [API_KEYS, *TRANSLATIONS, retry_topic("notifications")]
        await start_services_at_end(self.infra.kafka, self.tag, ["notifications"], topics)

    @asynccontextmanager
    async def running(self, **overrides: Any) -> AsyncIterator[FastAPI]:
        self.app = create_app(self.settings(**overrides))
        self.captured.attach()
        async with serving(self.app, self.port):
            yield self.app

    async def subscribe(self, **body: Any) -> dict[str, Any]:
        response = await self.http.post("/v1/subscriptions", json={"language": "en", **body})
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    async def deliveries(self, **filters: str) -> list[dict[str, Any]]:
        response = await self.http.get("/v1/deliveries", params=filters)
        assert response.status_code == 200, response.text
        found: list[dict[str, Any]] = response.json()["deliveries"]
        return found


class EverythingFormatter(logging.Formatter):
    """The message and every attribute of the record, extras included."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.name} {record.getMessage()} {record.__dict__!r}"


@pytest.fixture
def new_service(infra: Any, smtp: SmtpServer, captured: Captured) -> Any:
    """Another app, for tests of a process that stops; same instance when given its tag."""

    def make(tag: str | None = None) -> Notifications:
        return Notifications(infra, smtp, captured, tag)

    return make


@pytest.fixture(scope="module")
def captured() -> Iterator[Captured]:
    exporter = InMemorySpanExporter()
    logs = io.StringIO()
    handler = logging.StreamHandler(logs)
    handler.setFormatter(EverythingFormatter())
    root = logging.getLogger()
    before = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    # As in production (mgi_shared.logs): pymongo's debug log prints whole commands.
    for noisy in ("aiokafka", "pymongo"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # The test's own mail server logs the SMTP conversation: its lines are not the service's.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    yield Captured(logs, exporter)
    root.removeHandler(handler)
    root.setLevel(before)


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
async def receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    config = uvicorn.Config(receiver, host="127.0.0.1", port=receiver.port, log_config=None,
                            lifespan="off", access_log=False)  # fmt: skip
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    await eventually(lambda: server.started, timeout=30)
    yield receiver
    server.should_exit = True
    await asyncio.wait_for(task, 30)


@pytest.fixture(scope="module")
async def producer(infra: Any) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka, acks="all")
    await producer.start()
    yield producer
    await producer.stop()


@pytest.fixture(scope="module")
async def service(infra: Any, smtp: SmtpServer, captured: Captured) -> AsyncIterator[Notifications]:
    notifications = Notifications(infra, smtp, captured)
    await notifications.position()
    async with notifications.running():
        yield notifications
