"""How every Kafka client of the platform authenticates and encrypts, from one set of settings.

KAFKA_SECURITY_PROTOCOL is PLAINTEXT (the local stack), SSL, SASL_PLAINTEXT or SASL_SSL;
SASL uses KAFKA_SASL_MECHANISM (SCRAM-SHA-512 by default) with KAFKA_SASL_USERNAME and
KAFKA_SASL_PASSWORD; TLS trusts KAFKA_SSL_CAFILE (else the system's CAs) and presents
KAFKA_SSL_CERTFILE / KAFKA_SSL_KEYFILE when the brokers want a client certificate.
The services' brokers and the CLI's own clients (topics, dead letters, probes) share it.
"""

import ssl
from typing import Any

from faststream.security import (
    BaseSecurity,
    SASLPlaintext,
    SASLScram256,
    SASLScram512,
)

from mgi_shared.settings import PlatformSettings

_SASL_CLASSES = {"SCRAM-SHA-512": SASLScram512, "SCRAM-SHA-256": SASLScram256,
                 "PLAIN": SASLPlaintext}  # fmt: skip


class KafkaSecurityError(ValueError):
    """The settings ask for something incomplete; the message names the variable."""


def uses_sasl(settings: PlatformSettings) -> bool:
    return settings.kafka_security_protocol.startswith("SASL_")


def uses_tls(settings: PlatformSettings) -> bool:
    return settings.kafka_security_protocol in ("SSL", "SASL_SSL")


def tls_context(settings: PlatformSettings) -> ssl.SSLContext | None:
    if not uses_tls(settings):
        return None
    cafile = str(settings.kafka_ssl_cafile) if settings.kafka_ssl_cafile else None
    context = ssl.create_default_context(cafile=cafile)
    if settings.kafka_ssl_certfile:
        keyfile = str(settings.kafka_ssl_keyfile) if settings.kafka_ssl_keyfile else None
        context.load_cert_chain(str(settings.kafka_ssl_certfile), keyfile)
    return context


def _credentials(settings: PlatformSettings) -> tuple[str, str]:
    if not settings.kafka_sasl_username or settings.kafka_sasl_password is None:
        raise KafkaSecurityError(
            f"KAFKA_SECURITY_PROTOCOL={settings.kafka_security_protocol} needs "
            "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"
        )
    return settings.kafka_sasl_username, settings.kafka_sasl_password.get_secret_value()


def broker_security(settings: PlatformSettings) -> BaseSecurity | None:
    """For FastStream's KafkaBroker."""
    context = tls_context(settings)
    if uses_sasl(settings):
        username, password = _credentials(settings)
        sasl = _SASL_CLASSES[settings.kafka_sasl_mechanism]
        return sasl(username, password, ssl_context=context, use_ssl=context is not None)
    return BaseSecurity(ssl_context=context) if context is not None else None


def client_options(settings: PlatformSettings) -> dict[str, Any]:
    """Keyword arguments for aiokafka's own clients (admin, producer, consumer)."""
    options: dict[str, Any] = {"security_protocol": settings.kafka_security_protocol}
    context = tls_context(settings)
    if context is not None:
        options["ssl_context"] = context
    if uses_sasl(settings):
        username, password = _credentials(settings)
        options |= {
            "sasl_mechanism": settings.kafka_sasl_mechanism,
            "sasl_plain_username": username,
            "sasl_plain_password": password,
        }
    return options
