import pytest
from pydantic import ValidationError

from mgi_intake.settings import IntakeSettings

pytestmark = pytest.mark.unit


def test_the_database_url_is_used_as_given() -> None:
    # No connection-pool setting is forced onto the URL: pymongo's pool is used as configured.
    assert IntakeSettings(mongodb_url="mongodb://h:1/?tls=true").mongodb_url == (
        "mongodb://h:1/?tls=true"
    )


def test_database_name_can_be_overridden() -> None:
    assert IntakeSettings().database_name == "mgi_intake"
    assert IntakeSettings(mgi_instance="t1").database_name == "mgi_t1_intake"
    assert IntakeSettings(mgi_instance="t1").consumer_group == "mgi-t1-intake"


def test_production_refuses_missing_or_short_secrets() -> None:
    strong = "x" * 32
    with pytest.raises(ValidationError, match="MGI_ADMIN_TOKEN"):
        IntakeSettings(mgi_env="production", mgi_key_signing_secret=strong)
    with pytest.raises(ValidationError, match="at least 32 characters"):
        IntakeSettings(mgi_env="production", mgi_admin_token="short", mgi_key_signing_secret=strong)
    with pytest.raises(ValidationError, match="MGI_KEY_SIGNING_SECRET"):
        IntakeSettings(mgi_env="production", mgi_admin_token=strong)
    settings = IntakeSettings(
        mgi_env="production", mgi_admin_token=strong, mgi_key_signing_secret=strong
    )
    assert (settings.admin_key(), settings.key_signing_secret()) == (strong, strong.encode())
    IntakeSettings(mgi_env="development")  # no refusal outside production
