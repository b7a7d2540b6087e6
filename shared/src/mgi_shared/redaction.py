"""What must never leave a process in a log line, span attribute or event: email addresses,
webhook URLs, API keys, secrets, tokens. Pure functions, used by the log renderer
(mgi_shared.logs) and the span exporter (mgi_shared.span_export).

Two nets: a field whose name says it holds a secret or an address is replaced whole, and
any text is scrubbed of what looks like an email address, a bearer token, a signature, a
URL's credentials or query, so a value that slipped into an error message is caught too.
"""

import re
from functools import lru_cache
from typing import Any

REDACTED = "[redacted]"

# The last part of a field's name (`smtp.password`, `api_key`, `address`).
_SENSITIVE_NAME = re.compile(
    r"(token|secret|password|passwd|authorization|cookie|signature|api_?key|e_?mail|"
    r"^address$|^recipients?$|^to$|webhook|^url$|^headers?$)",
    re.IGNORECASE,
)
# Field names that merely mention a sensitive word but hold ids or counts.
_SAFE_NAME = re.compile(
    r"((_id|_ids|_count|\.id)$|^(server|client|net|network|host)\.)", re.IGNORECASE
)

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=\-]+")
_SIGNATURE = re.compile(r"(?i)\bsha256=[0-9a-f]{16,}")
# scheme://user:pass@host/path?query#fragment: keep scheme, host and path.
_URL = re.compile(r"(?i)\b(https?)://(?:[^\s/@]+@)?([^\s/?#]+)([^\s?#]*)(?:\?[^\s#]*)?(?:#\S*)?")
# Any of the above starts with one of these: text without them (most span attributes, most
# log fields) is returned as it is after one search instead of four substitutions.
_MAYBE_SENSITIVE = re.compile(r"@|://|(?i:\b(?:bearer|basic)\s)|(?i:sha256=)")
# Local webhook receivers and portals are still URLs someone configured: keep only the host.
_WEBHOOK_HINT = re.compile(r"(?i)hook")


@lru_cache(maxsize=4096)  # field names repeat: the same few hundred, span after span
def sensitive_name(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return bool(_SENSITIVE_NAME.search(last)) and not _SAFE_NAME.search(name)


def scrub_text(text: str) -> str:
    """The text with addresses, tokens and signatures replaced, and URLs cut to their path
    (or to their host when the path looks like a webhook's)."""

    if not _MAYBE_SENSITIVE.search(text):
        return text

    def url(match: re.Match[str]) -> str:
        scheme, host, path = match.group(1), match.group(2), match.group(3)
        if _WEBHOOK_HINT.search(host + path):
            return f"{scheme}://{host}/{REDACTED}"
        return f"{scheme}://{host}{path}"

    # URLs first: their credentials (user:pw@host) would otherwise pass for an address.
    text = _URL.sub(url, text)
    text = _EMAIL.sub(REDACTED, text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    return _SIGNATURE.sub(f"sha256={REDACTED}", text)


def redact_value(name: str, value: Any) -> Any:
    """One field's value, fit to be logged or exported."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if sensitive_name(name):
        return REDACTED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, bytes):
        return scrub_text(value.decode("utf-8", "replace"))
    if isinstance(value, dict):
        return redact_mapping(value)
    if isinstance(value, list | tuple):
        return [redact_value(name, item) for item in value]
    return scrub_text(str(value))


def redact_mapping(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: redact_value(str(key), value) for key, value in fields.items()}
