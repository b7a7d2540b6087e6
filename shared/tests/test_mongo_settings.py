"""MongoDB over TLS with authentication: what the URL carries, and the files it cannot."""

from pathlib import Path

import certifi
import pytest

from mgi_shared.mongo import make_mongo_client, tls_options
from mgi_shared.settings import PlatformSettings

pytestmark = pytest.mark.unit

# A real bundle of CA certificates: pymongo reads the file when it builds the client.
CA_BUNDLE = Path(certifi.where())


def test_no_tls_files_means_no_extra_options() -> None:
    assert tls_options(PlatformSettings()) == {}


def test_the_variables_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "mongodb://mgi:pw@db1:27017,db2:27017/?replicaSet=rs0&authSource=admin&tls=true"
    monkeypatch.setenv("MONGODB_URL", url)
    monkeypatch.setenv("MONGODB_TLS_CA_FILE", "/etc/mgi/mongodb-ca/ca.crt")
    monkeypatch.setenv("MONGODB_TLS_CERTIFICATE_KEY_FILE", "/etc/mgi/mongodb-client/tls.pem")
    settings = PlatformSettings()
    assert settings.mongodb_url == url
    assert tls_options(settings) == {
        "tls": True,
        "tlsCAFile": "/etc/mgi/mongodb-ca/ca.crt",
        "tlsCertificateKeyFile": "/etc/mgi/mongodb-client/tls.pem",
    }


async def test_a_ca_file_turns_tls_on_for_the_client() -> None:
    settings = PlatformSettings(mongodb_url="mongodb://db:27017", mongodb_tls_ca_file=CA_BUNDLE)
    client = make_mongo_client(settings.mongodb_url, **tls_options(settings))
    try:
        assert client.options.pool_options._ssl_context is not None
    finally:
        await client.close()


async def test_credentials_and_tls_from_the_url_alone() -> None:
    url = "mongodb://mgi:secret@db:27017/?authSource=admin&authMechanism=SCRAM-SHA-256&tls=true"
    client = make_mongo_client(url, **tls_options(PlatformSettings(mongodb_url=url)))
    try:
        assert client.options.pool_options._ssl_context is not None
        credentials = client.options.pool_options._credentials
        assert (credentials.username, credentials.source, credentials.mechanism) == (
            "mgi",
            "admin",
            "SCRAM-SHA-256",
        )
    finally:
        await client.close()


async def test_plain_url_stays_without_tls() -> None:
    client = make_mongo_client("mongodb://db:27017")
    try:
        assert client.options.pool_options._ssl_context is None
    finally:
        await client.close()
