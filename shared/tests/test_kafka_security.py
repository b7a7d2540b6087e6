import ssl

import pytest
from faststream.security import SASLScram512

from mgi_shared.kafka.security import KafkaSecurityError, broker_security, client_options
from mgi_shared.settings import PlatformSettings

pytestmark = pytest.mark.unit


def test_plaintext_by_default() -> None:
    settings = PlatformSettings()
    assert broker_security(settings) is None
    assert client_options(settings) == {"security_protocol": "PLAINTEXT"}


def test_sasl_over_tls_gives_scram_with_a_tls_context() -> None:
    settings = PlatformSettings(kafka_security_protocol="SASL_SSL", kafka_sasl_username="mgi",
                                kafka_sasl_password="pw")  # fmt: skip
    security = broker_security(settings)
    assert isinstance(security, SASLScram512)
    assert (security.username, security.password, security.use_ssl) == ("mgi", "pw", True)
    options = client_options(settings)
    assert isinstance(options.pop("ssl_context"), ssl.SSLContext)
    assert options == {"security_protocol": "SASL_SSL", "sasl_mechanism": "SCRAM-SHA-512",
                       "sasl_plain_username": "mgi", "sasl_plain_password": "pw"}  # fmt: skip


def test_sasl_without_credentials_names_the_missing_settings() -> None:
    settings = PlatformSettings(kafka_security_protocol="SASL_PLAINTEXT")
    with pytest.raises(KafkaSecurityError, match="KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"):
        broker_security(settings)
