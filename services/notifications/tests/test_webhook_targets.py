"""The webhook POST itself: a name pointing inward is refused before it; signed, over a kept
connection, no redirect followed, and what a receiver answers (or not) decides a retry."""

import asyncio
import socket
from typing import Any

import pytest

from mgi_notifications.adapters.webhooks import WebhookPoster
from mgi_notifications.domain.deliveries import SendError


def resolving_to(address: str) -> Any:
    async def getaddrinfo(*_: Any, **__: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 443))]

    return getaddrinfo


async def test_a_public_name_resolving_to_a_private_address_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loop = asyncio.get_running_loop()
    monkeypatch.setattr(loop, "getaddrinfo", resolving_to("10.1.2.3"))
    poster = WebhookPoster(allow_private=False, timeout_seconds=1)
    try:
        with pytest.raises(SendError) as refused:
            await poster.post("https://hooks.example.org/x", b"{}", "s", "e", "d")
        assert refused.value.permanent
        assert "private" in refused.value.reason and "example.org" not in refused.value.reason
        with pytest.raises(SendError) as literal:
            await poster.post("https://127.0.0.1/x", b"{}", "s", "e", "d")
        assert literal.value.permanent
    finally:
        await poster.close()


class ScriptedReceiver:
    """A webhook receiver on a raw socket, answering each POST with the next of `answers`
    (status, extra headers, body; None never answers) and counting connections: what
    conftest's ASGI `Receiver` cannot do."""

    def __init__(self, answers: list[tuple[int, dict[str, str], bytes] | None]) -> None:
        self.answers = answers
        self.requests: list[bytes] = []
        self.connections = 0

    async def __aenter__(self) -> str:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/hook"

    async def __aexit__(self, *_: object) -> None:
        self._server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                                  if line.lower().startswith(b"content-length")))  # fmt: skip
                self.requests.append(head + await reader.readexactly(length))
                answer = self.answers[len(self.requests) - 1]
                if answer is None:
                    await asyncio.sleep(10)
                    return
                status, headers, body = answer
                lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}",
                         *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
                writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def test_posts_are_signed_and_reuse_the_receivers_connection() -> None:
    receiver = ScriptedReceiver([(200, {}, b"thanks"), (204, {}, b"")])
    poster = WebhookPoster(allow_private=True, timeout_seconds=5)
    try:
        async with receiver as url:
            await poster.post(url, b'{"n": 1}', "s3cret", "event-1", "delivery-1")
            await poster.post(url, b'{"n": 2}', "s3cret", "event-2", "delivery-2")
    finally:
        await poster.close()
    first = receiver.requests[0].decode()
    assert first.startswith("POST /hook ")
    assert "x-mgi-event-id: event-1" in first.lower() and first.endswith('{"n": 1}')
    assert "x-mgi-signature: sha256=" in first.lower()
    assert receiver.connections == 1


async def test_a_redirect_is_not_followed_and_a_server_error_is_retried_later() -> None:
    receiver = ScriptedReceiver([(302, {"Location": "/elsewhere"}, b""), (503, {}, b"busy")])
    poster = WebhookPoster(allow_private=True, timeout_seconds=5)
    try:
        async with receiver as url:
            with pytest.raises(SendError) as redirected:
                await poster.post(url, b"{}", "s", "e", "d")
            with pytest.raises(SendError) as busy:
                await poster.post(url, b"{}", "s", "e", "d")
    finally:
        await poster.close()
    assert len(receiver.requests) == 2  # the redirect's target was never asked
    assert redirected.value.permanent and "302" in redirected.value.reason
    assert not busy.value.permanent and "503" in busy.value.reason


async def test_a_receiver_that_does_not_answer_in_time_is_retried_later() -> None:
    receiver = ScriptedReceiver([None])
    poster = WebhookPoster(allow_private=True, timeout_seconds=0.5)
    try:
        async with receiver as url:
            with pytest.raises(SendError) as silent:
                await poster.post(url, b"{}", "s", "e", "d")
    finally:
        await poster.close()
    assert not silent.value.permanent
    assert "127.0.0.1" not in silent.value.reason
