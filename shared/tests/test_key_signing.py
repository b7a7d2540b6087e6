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
