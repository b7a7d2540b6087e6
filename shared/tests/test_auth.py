"""Who may do what: key format, hashing and jurisdiction scope (pure logic)."""

import pytest

from mgi_shared.auth import Principal, Role, hash_key, key_id_of, new_key

pytestmark = pytest.mark.unit


def test_new_key_carries_its_id_and_is_stored_only_as_hash() -> None:
    key_id, key = new_key()
    assert key_id_of(key) == key_id
    assert hash_key(key) != key and len(hash_key(key)) == 64
    assert key_id_of("not-a-key") is None


@pytest.mark.parametrize(
    ("scopes", "jurisdiction", "allowed"),
    [
        (["IDN"], "IDN", True),
        (["IDN"], "IDN-JK", True),
        (["IDN-JK"], "IDN", False),
        (["IDN-JK"], "IDN-BA", False),
        (["IDN"], "IDNX", False),
        (["MEX"], "IDN", False),
    ],
)
def test_scope_covers_own_country_and_its_local_jurisdictions(
    scopes: list[str], jurisdiction: str, allowed: bool
) -> None:
    principal = Principal(key_id="k", role=Role.SUBMITTER, jurisdictions=scopes)
    assert principal.covers(jurisdiction) is allowed


def test_admin_covers_everything() -> None:
    assert Principal(key_id="admin", role=Role.ADMIN).covers("ZZZ")


def test_a_revoked_or_expired_record_is_not_usable() -> None:
    from datetime import UTC, datetime, timedelta

    from mgi_shared.auth import ApiKeyRecord, is_usable

    now = datetime.now(UTC)
    fields = {"key_id": "1", "key_hash": "h", "role": "reviewer", "jurisdictions": ["IDN"]}
    assert is_usable(ApiKeyRecord.model_validate(fields), now)
    assert not is_usable(ApiKeyRecord.model_validate(fields | {"revoked": True}), now)
    assert not is_usable(ApiKeyRecord.model_validate(fields | {"expires_at": now}), now)
    later = now + timedelta(hours=1)
    assert is_usable(ApiKeyRecord.model_validate(fields | {"expires_at": later}), now)
    assert not is_usable(None, now)
