"""API keys and who may do what, per role and jurisdiction (contract section 2).

Keys are random, shown once, and stored only as SHA-256 hashes. Intake owns
them and announces each new or revoked key on `mgi.apikeys.v1` (hash, role,
jurisdictions; never the key), so every service checks keys at its own boundary
from a local copy instead of calling intake.
"""

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from enum import StrEnum

from fastapi import HTTPException, Request
from pydantic import BaseModel, Field


class Role(StrEnum):
    SUBMITTER = "submitter"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class Principal(BaseModel):
    """The caller behind a valid key."""

    key_id: str
    role: Role
    jurisdictions: list[str] = Field(default_factory=list)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def covers(self, jurisdiction: str) -> bool:
        """A country's key covers its local jurisdictions too (IDN covers IDN-JK)."""
        if self.is_admin:
            return True
        return any(
            jurisdiction == scope or jurisdiction.startswith(f"{scope}-")
            for scope in self.jurisdictions
        )


class ApiKeyRecord(BaseModel):
    """What is stored and announced about a key: its hash, never the key itself."""

    key_id: str
    key_hash: str
    role: Role
    jurisdictions: list[str]
    label: str = ""
    revoked: bool = False
    # Optional, and left out of the signed form when unset, so records signed before these
    # fields existed still verify.
    created_at: datetime | None = None
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    # HMAC by intake under the services' shared secret (mgi_shared.key_signing).
    signature: str = ""


def new_key() -> tuple[str, str]:
    """(key_id, key): the id is public, the key is shown once to its owner."""
    key_id = secrets.token_hex(8)
    return key_id, f"mgi_{key_id}_{secrets.token_urlsafe(32)}"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_id_of(key: str) -> str | None:
    """Keys carry their id so a lookup needs no scan; the hash still decides."""
    parts = key.split("_", 2)
    return parts[1] if len(parts) == 3 and parts[0] == "mgi" else None


def is_usable(record: ApiKeyRecord | None, now: datetime) -> bool:
    """Neither revoked nor past its expiry."""
    if record is None or record.revoked:
        return False
    return record.expires_at is None or now < record.expires_at


KeyLookup = Callable[[str], Awaitable[ApiKeyRecord | None]]
KeyUsed = Callable[[str], Awaitable[None]]
Authenticate = Callable[[Request], Awaitable[Principal]]


def authenticator(
    admin_token: str | None, lookup: KeyLookup, on_used: KeyUsed | None = None
) -> Callable[..., Awaitable[Principal]]:
    """A FastAPI dependency: the principal of the bearer key, or 401.

    Keys are looked up on every request (by id, one indexed read) and never cached, so a
    revocation counts as soon as the service's copy of the keys has it. `on_used` hears the
    id of each stored key that authenticated (never the key itself)."""

    async def authenticate(request: Request) -> Principal:
        header = request.headers.get("authorization", "")
        scheme, _, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key:
            raise _unauthorized("missing bearer API key")
        key = key.strip()
        if admin_token and hmac.compare_digest(key.encode(), admin_token.encode()):
            return Principal(key_id="admin", role=Role.ADMIN)
        key_id = key_id_of(key)
        record = await lookup(key_id) if key_id else None
        if record is None or not hmac.compare_digest(record.key_hash, hash_key(key)):
            raise _unauthorized("unknown API key")
        if not is_usable(record, datetime.now(UTC)):
            raise _unauthorized("revoked or expired API key")
        if on_used is not None:
            await on_used(record.key_id)
        return Principal(key_id=record.key_id, role=record.role, jurisdictions=record.jurisdictions)

    return authenticate


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


def require_role(principal: Principal, *roles: Role) -> None:
    if principal.role is not Role.ADMIN and principal.role not in roles:
        allowed = ", ".join(sorted({Role.ADMIN, *roles}))
        raise HTTPException(403, f"this action needs one of the roles: {allowed}")


def require_jurisdiction(principal: Principal, jurisdiction: str) -> None:
    if not principal.covers(jurisdiction):
        raise HTTPException(403, f"this API key is not scoped to jurisdiction {jurisdiction}")
