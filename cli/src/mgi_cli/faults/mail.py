"""The run's own SMTP server (aiosmtpd), which a scenario takes down and brings back.

Each mail the platform sends names its delivery in `X-MGI-Delivery` (one delivery per event
and subscription), so counting deliveries tells a mail sent twice from two mails.
"""

import email
import email.policy
from collections import Counter
from typing import Any

from aiosmtpd.controller import Controller


class CountingMailbox:
    def __init__(self) -> None:
        self.deliveries: Counter[str] = Counter()  # X-MGI-Delivery -> mails received

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.deliveries[str(message.get("X-MGI-Delivery", "")).strip()] += 1
        return "250 OK"

    def of_events(self, event_ids: set[str]) -> Counter[str]:
        """Mails per event, for these events (a single delivery's id is `<event>:<sub>`)."""
        found: Counter[str] = Counter()
        for delivery, count in self.deliveries.items():
            event_id = delivery.split(":", 1)[0]
            if event_id in event_ids:
                found[event_id] += count
        return found


class MailServer:
    """Listens on 127.0.0.1:`port` while up; `down()` closes the port, `up()` opens it again."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.mailbox = CountingMailbox()
        self._controller: Controller | None = None

    def up(self) -> None:
        if self._controller is None:
            self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
            self._controller.start()

    def down(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
