"""uvicorn's HTTP/1.1 protocol with a deadline on a request's line and headers.

uvicorn closes a connection left idle after a response (keep-alive timeout), but
the first byte of a request cancels that timer, and nothing bounds the time to
the end of the headers: a client sending a header byte every few seconds would
hold its connection forever (slowloris). Here the headers must be complete
within HEADER_SECONDS of the connection opening or of the previous response, or
the connection is closed. The body has its own deadline (http_body_limit).

Built on uvicorn's H11Protocol internals (`cycle`, `loop`, `transport`), which the
lock file pins; shared/tests/test_slow_clients.py checks it over a real socket.
"""

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_SECONDS = 10.0


class HeaderDeadlineProtocol(H11Protocol):
    header_seconds = HEADER_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        if self.cycle is not before:  # a new request's headers are complete
            self._disarm()

    def on_response_complete(self) -> None:
        # Armed first: a pipelined request handled inside disarms it at once.
        self._arm()
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()
