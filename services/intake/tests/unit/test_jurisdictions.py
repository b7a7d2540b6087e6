import pytest

from mgi_intake.domain.jurisdictions import check_jurisdiction, check_key_scopes

pytestmark = pytest.mark.unit


def test_national_and_local_codes() -> None:
    assert check_jurisdiction("IDN", None, "national") == []
    assert check_jurisdiction("IDN-JK", "IDN", "local") == []


@pytest.mark.parametrize(
    ("code", "parent", "scope", "field"),
    [
        ("ID", None, "national", "jurisdiction.code"),
        ("IDN", "IDN", "national", "jurisdiction.parent"),
        ("IDN", None, "local", "jurisdiction.code"),
        ("IDN-JK", None, "local", "jurisdiction.parent"),
        ("IDN-JK", "PHL", "local", "jurisdiction.parent"),
    ],
)
def test_bad_codes_name_the_field(code: str, parent: str | None, scope: str, field: str) -> None:
    assert [p.field for p in check_jurisdiction(code, parent, scope)] == [field]


def test_key_scopes() -> None:
    assert check_key_scopes(["IDN", "IDN-JK"]) == []
    assert [p.field for p in check_key_scopes(["IDN", "indonesia"])] == ["jurisdictions[1]"]
