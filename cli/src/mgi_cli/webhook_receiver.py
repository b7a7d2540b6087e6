"""A webhook receiver, as a subscriber's system would be: it checks each POST's
`X-MGI-Signature` against the subscription's secret before it believes the event. `mgi demo`
shows what it heard; `mgi bench` times when each submission's notification arrived."""

import asyncio
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import uvicorn

WEBHOOK_PATH = "/mgi-demo-events"


@dataclass
class WebhookReceiver:
    port: int
    secret: str = ""  # the subscription's, known once the demo subscribes
    events: list[dict[str, Any]] = field(default_factory=list)
    refused: int = 0  # POSTs whose signature did not check
    # submission id -> perf_counter when its submission.accepted notification first arrived
    accepted_at: dict[str, float] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{WEBHOOK_PATH}"

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        if self._signed(body, headers.get("x-mgi-signature", "")):
            event = json.loads(body)
            self.events.append(event)
            if event.get("event_type") == "submission.accepted":
                self.accepted_at.setdefault(
                    str(event["data"]["submission_id"]), time.perf_counter()
                )
            status = 200
        else:
            self.refused += 1
            status = 401
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    def _signed(self, body: bytes, header: str) -> bool:
        expected = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        return bool(self.secret) and hmac.compare_digest(expected, header.strip())

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e.get("event_type") == event_type]


class Served(Protocol):
    """An ASGI app with the port it is served on (this receiver, or `mgi faults`' portal)."""

    port: int

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None: ...


class ReceiverServer:
    """Serves the receiver on 127.0.0.1 until the block ends."""

    def __init__(self, receiver: Served) -> None:
        config = uvicorn.Config(receiver, host="127.0.0.1", port=receiver.port, log_config=None,
                                lifespan="off", access_log=False)  # fmt: skip
        self._server = uvicorn.Server(config)
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> None:
        self._task = asyncio.create_task(self._server.serve())
        for _ in range(100):
            if self._server.started or self._task.done():
                break
            await asyncio.sleep(0.05)
        if not self._server.started:
            raise RuntimeError(f"the demo's webhook receiver could not listen on port "
                               f"{self._server.config.port}")  # fmt: skip

    async def __aexit__(self, *_: object) -> None:
        self._server.should_exit = True
        if self._task is not None:
            await self._task
