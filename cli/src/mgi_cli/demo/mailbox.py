"""A local SMTP server for the length of the demo: every mail it receives is saved as an .eml
file, so a user without a mail server can open what the platform sent."""

import email
import email.policy
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class SavedMail:
    path: Path
    to: str
    subject: str
    language: str


@dataclass
class Mailbox:
    """aiosmtpd handler: saves each message under `folder` in the order received."""

    folder: Path
    saved: list[SavedMail] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        path = self.folder / f"{len(self.saved) + 1:03d}.eml"
        path.write_bytes(envelope.content)
        language = str(message.get("Content-Language", ""))
        self.saved.append(SavedMail(path, str(message["To"]), str(message["Subject"]), language))
        return "250 OK"

    def to(self, address: str) -> list[SavedMail]:
        return [mail for mail in self.saved if mail.to == address]


class LocalMailServer:
    def __init__(self, host: str, port: int, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.mailbox = Mailbox(folder)
        self._controller = Controller(self.mailbox, hostname=host, port=port)

    def __enter__(self) -> Mailbox:
        try:
            self._controller.start()
        except (OSError, RuntimeError) as error:
            raise RuntimeError(
                f"could not run the demo's mail server on {self._controller.hostname}:"
                f"{self._controller.port} ({error}); set SMTP_HOST/SMTP_PORT to a running one"
            ) from error
        return self.mailbox

    def __exit__(self, *_: object) -> None:
        self._controller.stop()
