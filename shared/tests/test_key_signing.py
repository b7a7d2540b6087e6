import pytest

from mgi_shared.auth import ApiKeyRecord, Role
from mgi_shared.key_signing import is_authentic, signed

pytestmark = pytest.mark.unit

SECRET = b"the services' shared secret"


def record(**changes: object) -> ApiKeyRecord:
    fields = {"key_id": "0011", "key_hash": "ab" * 32, "role": Role.SUBMITTER,
              "jurisdictions": ["IDN"]}  # fmt: skip
    return ApiKeyRecord.model_validate({**fields, **changes})


def test_a_signed_record_is_authentic_and_any_change_breaks_it() -> None:
    good = signed(record(), SECRET)
    assert is_authentic(good, SECRET)
    assert not is_authentic(record(), SECRET)  # unsigned
    assert not is_authentic(good, b"another secret")
    for tampered in ({"role": Role.ADMIN}, {"jurisdictions": ["IDN", "KEN"]}, {"revoked": True}):
        assert not is_authentic(good.model_copy(update=tampered), SECRET), tampered


def test_records_signed_before_the_optional_fields_existed_still_verify() -> None:
    import hashlib
    import hmac
    import json

    old_form = {"jurisdictions": ["IDN"], "key_hash": "ab" * 32, "key_id": "0011",
                "label": "", "revoked": False, "role": "submitter"}  # fmt: skip
    canonical = json.dumps(old_form, sort_keys=True, separators=(",", ":")).encode()
    old_signature = hmac.new(SECRET, canonical, hashlib.sha256).hexdigest()
    assert is_authentic(record(signature=old_signature), SECRET)


def test_expiry_and_revocation_time_are_signed() -> None:
    good = signed(record(expires_at="2030-01-01T00:00:00Z"), SECRET)
    assert is_authentic(good, SECRET)
    later = good.model_copy(update={"expires_at": good.expires_at.replace(year=2040)})  # type: ignore[union-attr]
    assert not is_authentic(later, SECRET)
    assert not is_authentic(good.model_copy(update={"expires_at": None}), SECRET)
