import pytest

from mgi_intake.settings import IntakeSettings

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("mongodb://127.0.0.1:27017", "mongodb://127.0.0.1:27017/?maxPoolSize=1"),
        ("mongodb://127.0.0.1:27017/", "mongodb://127.0.0.1:27017/?maxPoolSize=1"),
        ("mongodb://h:1/?tls=true", "mongodb://h:1/?tls=true&maxPoolSize=1"),
        ("mongodb://h:1/admin", "mongodb://h:1/admin?maxPoolSize=1"),
        ("mongodb://h:1/?maxPoolSize=50", "mongodb://h:1/?maxPoolSize=50"),
    ],
)
def test_one_database_connection_unless_the_url_says_otherwise(given: str, used: str) -> None:
    assert IntakeSettings(mongodb_url=given).mongodb_url == used


def test_database_name_can_be_overridden() -> None:
    assert IntakeSettings().database_name == "mgi_intake"
    assert IntakeSettings(mgi_instance="t1").database_name == "mgi_t1_intake"
    assert IntakeSettings(mgi_instance="t1").consumer_group == "mgi-t1-intake"
