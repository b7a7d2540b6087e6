"""A send's outcome is recorded through a database outage while the claim holds, so a
delivery already sent is not claimed again after its lease and sent twice."""

import time

import pytest
from pymongo.errors import AutoReconnect

from mgi_notifications.service_layer import sender
from mgi_notifications.service_layer.sender import while_claimed

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def short_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sender, "MARK_FIRST_PAUSE_SECONDS", 0.01)


async def test_the_mark_is_tried_again_until_the_database_is_back() -> None:
    calls = []

    async def write() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise AutoReconnect("connection closed")
        return "marked"

    assert await while_claimed({"claimed_until": time.time() + 60}, write) == "marked"
    assert len(calls) == 3


async def test_near_the_end_of_the_claim_the_error_is_let_through() -> None:
    async def write() -> None:
        raise AutoReconnect("connection closed")

    with pytest.raises(AutoReconnect):
        await while_claimed({"claimed_until": time.time() + 1}, write)
