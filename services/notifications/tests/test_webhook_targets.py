"""Before each POST the webhook's host is resolved: a name pointing inward is refused."""

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
