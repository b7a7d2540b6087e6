"""Webhook POSTs (httpx): signed JSON, no redirects followed, no request to a private address
unless allowed.

httpx's tracing instrumentation would record the URL on a span (and its metrics the host):
it is suppressed around our requests, whose own span carries ids only.
"""

import asyncio
import logging
import socket
from urllib.parse import urlsplit

import httpx
from opentelemetry import propagate
from opentelemetry.instrumentation.utils import suppress_http_instrumentation

from mgi_notifications.domain.addresses import is_private_ip, webhook_problem
from mgi_notifications.domain.deliveries import SendError
from mgi_notifications.domain.signing import SIGNATURE_HEADER, signature

# httpx logs every request's URL at INFO.
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("httpcore").setLevel(logging.WARNING)


class WebhookPoster:
    def __init__(self, allow_private: bool, timeout_seconds: float) -> None:
        self._allow_private = allow_private
        self._client = httpx.AsyncClient(timeout=timeout_seconds, follow_redirects=False)

    async def close(self) -> None:
        await self._client.aclose()

    async def _refuse_private_targets(self, url: str) -> None:
        """The URL was checked at subscription; what its name resolves to now is checked
        here, so a name pointed at an internal address later is refused too."""
        problem = webhook_problem(url, allow_private=self._allow_private)
        if problem:
            raise SendError(f"webhook address refused: {problem}", permanent=True)
        if self._allow_private:
            return
        parts = urlsplit(url)
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                parts.hostname, parts.port or 443, type=socket.SOCK_STREAM
            )
        except OSError:
            raise SendError("webhook host name did not resolve", permanent=False) from None
        if any(is_private_ip(str(info[4][0])) for info in infos):
            raise SendError("webhook host resolves to a private address", permanent=True)

    async def post(
        self, url: str, body: bytes, secret: str, event_id: str, delivery_id: str
    ) -> None:
        await self._refuse_private_targets(url)
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(secret, body),
            "X-MGI-Event-Id": event_id,
            "X-MGI-Delivery": delivery_id,
            "User-Agent": "mgi-notifications/1",
        }
        propagate.inject(headers)  # the receiver may continue the trace
        try:
            with suppress_http_instrumentation():
                response = await self._client.post(url, content=body, headers=headers)
        except httpx.HTTPError as error:
            # Its text would name the URL: only the kind of failure is kept.
            raise SendError(f"{type(error).__name__}: no answer", permanent=False) from None
        status = response.status_code
        if 200 <= status < 300:
            return
        retryable = status >= 500 or status in (408, 429)
        raise SendError(f"receiver answered HTTP {status}", permanent=not retryable)
