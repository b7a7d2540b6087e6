"""Checks of subscription addresses: email syntax (no DNS) and webhook URLs that cannot be
pointed into the operator's own network.

A webhook URL is refused unless it is https to a public host. Loopback, private, link-local,
shared, reserved and unspecified addresses, and the `localhost` names, are refused, as is plain
http to any host, unless private targets are allowed (MGI_WEBHOOK_ALLOW_PRIVATE=true), which
then admits https and http to those. Host names are not resolved here (an installation may have
no outside DNS); the sender checks what a name resolves to before each POST instead
(`resolved_private`), so a public-looking name that points inward is refused at send time.
"""

import ipaddress
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

MAX_ADDRESS_LENGTH = 2048


def email_problem(address: str) -> str | None:
    """None for a syntactically valid address; else why not (no DNS lookup is made)."""
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        return str(error)
    return None


def is_private_ip(text: str) -> bool:
    """Loopback, private, link-local and other non-public addresses (IPv4 and IPv6)."""
    try:
        ip = ipaddress.ip_address(text.strip("[]").split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def is_private_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    return is_private_ip(host)


def webhook_problem(url: str, *, allow_private: bool) -> str | None:
    """None for an acceptable webhook URL; else why it is refused."""
    if len(url) > MAX_ADDRESS_LENGTH:
        return "the URL is too long"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        _ = parts.port  # raises on a port that is not a number
    except ValueError:
        return "not a valid URL"
    if parts.scheme not in ("https", "http") or not host:
        return "must be an https URL"
    if parts.username or parts.password:
        return "must not carry credentials in the URL"
    private = is_private_host(host)
    if private and not allow_private:
        return "loopback and private addresses are refused (MGI_WEBHOOK_ALLOW_PRIVATE is off)"
    if parts.scheme == "http" and not (private and allow_private):
        return "must be an https URL"
    return None
