"""Mail out over SMTP (aiosmtplib), STARTTLS and login when configured.

A delivery keeps one Message-ID across attempts, so the rare resend after a crash between
the server's acceptance and our mark (see README: at least once to the SMTP server) is
recognisable as the same mail.
"""

import hashlib
import logging
from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib

from mgi_notifications.domain.deliveries import SendError
from mgi_notifications.domain.rendering import Mail
from mgi_notifications.settings import NotificationsSettings

# aiosmtplib's debug log quotes the SMTP conversation, addresses included.
logging.getLogger("aiosmtplib").setLevel(logging.WARNING)


def message_id(delivery_id: str) -> str:
    return f"<{hashlib.sha256(delivery_id.encode()).hexdigest()[:32]}@mgi.notifications>"


def build_message(mail: Mail, sender: str, recipient: str, delivery_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = mail.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id(delivery_id)
    message["X-MGI-Delivery"] = delivery_id
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    # RFC 3282, for mail readers and filters. After the content: setting it clears Content-*.
    message["Content-Language"] = mail.language
    return message


class SmtpMailer:
    def __init__(self, settings: NotificationsSettings) -> None:
        self._settings = settings

    async def send(self, mail: Mail, recipient: str, delivery_id: str) -> None:
        settings = self._settings
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        message = build_message(mail, settings.smtp_from, recipient, delivery_id)
        try:
            await aiosmtplib.send(
                message,
                hostname=settings.smtp_host,
                port=settings.smtp_port,
                username=settings.smtp_username or None,
                password=password if settings.smtp_username else None,
                start_tls=settings.smtp_starttls,
                timeout=settings.smtp_timeout_seconds,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = sorted({r.code for r in error.recipients})
            raise SendError(f"recipient refused (SMTP {codes})", permanent=True) from None
        except aiosmtplib.SMTPResponseException as error:
            # The reply text may quote the address: only its code is kept.
            permanent = 500 <= error.code < 600
            kind = type(error).__name__
            raise SendError(f"{kind}: SMTP {error.code}", permanent=permanent) from None
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            raise SendError(f"{type(error).__name__}: mail server unreachable",
                              permanent=False) from None  # fmt: skip
