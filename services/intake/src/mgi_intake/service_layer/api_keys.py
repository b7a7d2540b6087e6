"""API keys: issued (the key returned once, only its hash kept), listed without secrets,
revoked. Each new or revoked key is signed and announced on `mgi.apikeys.v1`, so every
service's copy of the keys refuses a revoked one as soon as the event reaches it."""

from datetime import UTC, datetime

from mgi_intake.domain.jurisdictions import check_key_scopes
from mgi_intake.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic
from mgi_intake.service_layer.deps import Deps
from mgi_intake.service_layer.errors import InvalidError, NotFoundError
from mgi_shared.auth import ApiKeyRecord, Role, hash_key, new_key
from mgi_shared.contracts import topics
from mgi_shared.contracts.envelope import EventEnvelope
from mgi_shared.key_signing import signed
from mgi_shared.mongo import Document
from mgi_shared.outbox import outbox_entry
from mgi_shared.problems import Problem

KEY_CREATED = "apikey.created"
KEY_REVOKED = "apikey.revoked"


async def create_api_key(body: ApiKeyCreate, deps: Deps) -> ApiKeyCreated:
    now = datetime.now(UTC)
    problems = check_key_scopes(body.jurisdictions)
    if body.role is not Role.ADMIN and not body.jurisdictions:
        problems.append(Problem("jurisdictions", "a submitter or reviewer key needs one or more"))
    if body.expires_at is not None and body.expires_at <= now:
        problems.append(Problem("expires_at", "must be in the future"))
    if problems:
        raise InvalidError(problems)
    key_id, key = new_key()
    unsigned = ApiKeyRecord(
        key_id=key_id,
        key_hash=hash_key(key),
        role=body.role,
        jurisdictions=body.jurisdictions,
        label=body.label,
        created_at=now,
        expires_at=body.expires_at,
    )
    record = signed(unsigned, deps.key_signing_secret)
    event = EventEnvelope[ApiKeyRecord](event_type=KEY_CREATED, data=record)
    await deps.api_keys.insert(record, [outbox_entry(topics.API_KEYS, key_id, event)])
    return ApiKeyCreated(key=key, key_id=key_id)


async def list_api_keys(deps: Deps) -> list[ApiKeyPublic]:
    now = datetime.now(UTC)
    return [public(document, now) for document in await deps.api_keys.list_public()]


async def revoke_api_key(key_id: str, deps: Deps) -> ApiKeyPublic:
    """Revoking twice is no change; the event goes out once, with the first revocation."""
    record = await deps.api_keys.get(key_id)
    if record is None and key_id == "admin":
        raise NotFoundError("the bootstrap admin key is MGI_ADMIN_TOKEN: rotate it instead")
    if record is None:
        raise NotFoundError(f"unknown API key id '{key_id}'")
    if not record.revoked:
        revoked = signed(
            record.model_copy(update={"revoked": True, "revoked_at": datetime.now(UTC)}),
            deps.key_signing_secret,
        )
        event = EventEnvelope[ApiKeyRecord](event_type=KEY_REVOKED, data=revoked)
        await deps.api_keys.revoke(revoked, [outbox_entry(topics.API_KEYS, key_id, event)])
    document = await deps.api_keys.get_public(key_id)
    assert document is not None, "keys are revoked, never deleted"
    return public(document, datetime.now(UTC))


def public(document: Document, now: datetime) -> ApiKeyPublic:
    expires_at = document.get("expires_at")
    if document.get("revoked"):
        state = "revoked"
    elif expires_at is not None and expires_at <= now:
        state = "expired"
    else:
        state = "active"
    return ApiKeyPublic(
        key_id=document["_id"],
        label=document.get("label", ""),
        role=document["role"],
        jurisdictions=document.get("jurisdictions", []),
        state=state,
        created_at=document.get("created_at"),
        last_used_at=document.get("last_used_at"),
        expires_at=expires_at,
        revoked_at=document.get("revoked_at"),
    )
