"""Refuse request bodies over the limit with 413, and bodies too slow to arrive with 408,
before anything parses them.

A declared Content-Length is checked first; a chunked body is read up to the
limit and refused as soon as it passes it, so a liar cannot slip past. The
whole body must arrive within `read_seconds`: uvicorn bounds only the idle time
between requests (keep-alive), so a client trickling a byte at a time would
otherwise hold its connection, and a slot of the server, for as long as it likes.
"""

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A 1 MiB body arrives within this over any link that can use the API at all.
READ_SECONDS = 30.0


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, read_seconds: float = READ_SECONDS) -> None:
        self._app = app
        self._max = max_bytes
        self._read_seconds = read_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self._app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self._max:
            await self._refuse(send)
            return
        try:
            async with asyncio.timeout(self._read_seconds):
                body = await self._read(receive)
        except _TooLargeError:
            await self._refuse(send)
            return
        except TimeoutError:
            # "Connection: close": the rest of the body is never read, so the connection
            # cannot carry another request and the server closes it.
            detail = b"request body not received within %d seconds" % self._read_seconds
            await _answer(send, 408, detail, close=True)
            return
        if body is None:  # the client went away
            return
        await self._app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self._max:
                raise _TooLargeError
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _refuse(self, send: Send) -> None:
        await _answer(send, 413, b"request body larger than %d bytes" % self._max)


class _TooLargeError(Exception):
    """The body passed the size limit while being read."""


async def _answer(send: Send, status: int, detail: bytes, close: bool = False) -> None:
    body = b'{"detail":"%s"}' % detail
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # later reads see the client's disconnect
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
