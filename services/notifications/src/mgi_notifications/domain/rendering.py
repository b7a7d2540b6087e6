"""Mails rendered from jinja2 templates (templates/<language>/), in the subscription's language.

The HTML part is autoescaped: jurisdiction names, reasons and errors come from other systems
and must not become markup in someone's mail client.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader

from mgi_notifications.domain.events import NotificationEvent

LANGUAGES = ("en", "fr", "es")
DEFAULT_LANGUAGE = "en"
SUBJECT_PREFIX = "[MGI]"
MAX_SUBJECT = 200

_loader = FileSystemLoader(Path(__file__).parent / "templates")
# Two environments, because the phrases are shared: a macro is escaped as the template that
# defines it was compiled, so HTML needs its own copy of them compiled with autoescape on.
_html = Environment(loader=_loader, autoescape=True, keep_trailing_newline=True)
_text = Environment(loader=_loader, autoescape=False, keep_trailing_newline=True)  # noqa: S701


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str
    language: str = DEFAULT_LANGUAGE


def _context(events: list[NotificationEvent], subscription_id: str) -> dict[str, Any]:
    first = events[0]
    location = next((e.portal_location for e in reversed(events) if e.portal_location), None)
    return {
        "events": events,
        "jurisdiction": first.jurisdiction,
        "jurisdiction_name": first.jurisdiction_name or first.jurisdiction,
        "assessment_id": first.assessment_id,
        "portal_location": location,
        # Only web addresses become links; a static portal's location is a path on the server.
        "portal_link": location if location and re.match(r"https?://", location) else None,
        "subscription_id": subscription_id,
    }


def render_mail(events: list[NotificationEvent], language: str, subscription_id: str) -> Mail:
    """One mail for `events` (one, or a digest of one assessment's submission events)."""
    if not events:
        raise ValueError("a mail needs at least one event")
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    context = _context(sorted(events, key=lambda e: e.occurred_at), subscription_id)
    subject = _text.get_template(f"{language}/subject.txt").render(context)
    # One line, bounded: a header must not be split (or injected into) by a newline.
    subject = " ".join(subject.split())[:MAX_SUBJECT]
    if not subject.startswith(SUBJECT_PREFIX):
        subject = f"{SUBJECT_PREFIX} {subject}"
    context["subject"] = subject
    text = _text.get_template(f"{language}/body.txt").render(context)
    html = _html.get_template(f"{language}/body.html").render(context)
    return Mail(subject=subject, text=text, html=html, language=language)
