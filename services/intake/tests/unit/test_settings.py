import pytest
from pydantic import ValidationError

from mgi_intake.settings import IntakeSettings

pytestmark = pytest.mark.unit


def test_the_database_url_is_used_as_given() -> None:
    # FerretDB once needed maxPoolSize=1 forced onto every URL; a real pool is the default now.
    assert IntakeSettings(mongodb_url="mongodb://h:1/?tls=true").mongodb_url == (
        "mongodb://h:1/?tls=true"
    )


def test_database_name_can_be_overridden() -> None:
    assert IntakeSettings().database_name == "mgi_intake"
    assert IntakeSettings(mgi_instance="t1").database_name == "mgi_t1_intake"
    assert IntakeSettings(mgi_instance="t1").consumer_group == "mgi-t1-intake"


def test_production_refuses_a_missing_or_short_admin_token() -> None:
    with pytest.raises(ValidationError, match="MGI_ADMIN_TOKEN"):
        IntakeSettings(mgi_env="production")
    with pytest.raises(ValidationError, match="at least 32 characters"):
        IntakeSettings(mgi_env="production", mgi_admin_token="short")
    strong = "x" * 32
    assert IntakeSettings(mgi_env="production", mgi_admin_token=strong).admin_key() == strong
    IntakeSettings(mgi_env="development")  # no refusal outside production
