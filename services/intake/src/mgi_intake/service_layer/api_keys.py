"""Issuing API keys: the key is returned once, only its hash is kept and announced."""

from mgi_intake.domain.jurisdictions import check_key_scopes
from mgi_intake.schemas import ApiKeyCreate, ApiKeyCreated
from mgi_intake.service_layer.deps import Deps
from mgi_intake.service_layer.errors import InvalidError
from mgi_shared.auth import ApiKeyRecord, Role, hash_key, new_key
from mgi_shared.contracts import topics
from mgi_shared.contracts.envelope import EventEnvelope
from mgi_shared.key_signing import signed
from mgi_shared.outbox import outbox_entry
from mgi_shared.problems import Problem

KEY_CREATED = "apikey.created"


async def create_api_key(body: ApiKeyCreate, deps: Deps) -> ApiKeyCreated:
    problems = check_key_scopes(body.jurisdictions)
    if body.role is not Role.ADMIN and not body.jurisdictions:
        problems.append(Problem("jurisdictions", "a submitter or reviewer key needs one or more"))
    if problems:
        raise InvalidError(problems)
    key_id, key = new_key()
    unsigned = ApiKeyRecord(
        key_id=key_id,
        key_hash=hash_key(key),
        role=body.role,
        jurisdictions=body.jurisdictions,
        label=body.label,
    )
    record = signed(unsigned, deps.key_signing_secret)
    event = EventEnvelope[ApiKeyRecord](event_type=KEY_CREATED, data=record)
    await deps.api_keys.insert(record, [outbox_entry(topics.API_KEYS, key_id, event)])
    return ApiKeyCreated(key=key, key_id=key_id)
