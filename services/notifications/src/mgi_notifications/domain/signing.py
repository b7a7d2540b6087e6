"""Webhook signatures: `X-MGI-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes>`."""

import hashlib
import hmac
import json
from typing import Any

SIGNATURE_HEADER = "X-MGI-Signature"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does; constant-time, so timing does not reveal the right signature."""
    return hmac.compare_digest(signature(secret, body), header.strip())


def canonical_body(payload: dict[str, Any]) -> bytes:
    """Stable bytes for one payload, so a retried delivery sends (and signs) the same body."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
