import pytest

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
