"""Settings read from the contract's environment variables (contract section 1)."""

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Development only (refused in production): lets services started without `mgi stack up`,
# e.g. in tests, agree on key signatures.
DEVELOPMENT_SIGNING_SECRET = b"mgi-development-key-signing-secret"

DEFAULT_PORTS = {"intake": 8081, "scoring": 8082, "publishing": 8083, "notifications": 8084}


class PlatformSettings(BaseSettings):
    """What every service and `mgi stack up` read; each service extends it."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # How clients reach the brokers (see mgi_shared.kafka.security): TLS, SASL or both.
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] = "SCRAM-SHA-512"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: Path | None = None
    kafka_ssl_certfile: Path | None = None  # client certificate, for brokers that ask for one
    kafka_ssl_keyfile: Path | None = None
    # Credentials, replica set and TLS go into the URL (mongodb://user:pw@h1,h2/?replicaSet=rs0
    # &authSource=admin&tls=true); the files below are what a URL cannot carry (mgi_shared.mongo).
    mongodb_url: str = "mongodb://127.0.0.1:27017"
    mongodb_tls_ca_file: Path | None = None  # a private CA that signed the servers' certificates
    mongodb_tls_certificate_key_file: Path | None = None  # client certificate + key (X.509 auth)
    mgi_data_dir: Path = Path(".mgi")
    mgi_admin_token: SecretStr | None = None
    # Shared by the services only: intake signs API key events with it, every replica verifies.
    mgi_key_signing_secret: SecretStr | None = None
    mgi_env: Literal["development", "production"] = Field(
        default="development",
        description="'production' refuses to start without a strong MGI_ADMIN_TOKEN",
    )

    intake_port: int = 8081
    scoring_port: int = 8082
    publishing_port: int = 8083
    notifications_port: int = 8084

    # How many attempts a failing record gets (the first plus retries) before dead-lettering.
    mgi_max_attempts: int = Field(default=4, ge=1, le=20)
    mgi_retry_base_seconds: float = Field(default=1.0, gt=0)
    # Writers hand the relay the documents they change, so the sweep is only for what a crash
    # of another replica left: rare, since on the local database it reads whole collections.
    mgi_outbox_sweep_seconds: float = Field(default=60.0, gt=0)
    # Every service refuses larger request bodies with 413 before reading them.
    mgi_max_body_bytes: int = Field(default=1024 * 1024, gt=0)
    # ... and with 408 when the body takes longer than this to arrive (a client trickling it).
    mgi_request_read_seconds: float = Field(default=30.0, gt=0)

    def port_of(self, service: str) -> int:
        port: int = getattr(self, f"{service}_port")
        return port

    def url_of(self, service: str) -> str:
        return f"http://127.0.0.1:{self.port_of(service)}"

    @property
    def admin_token_file(self) -> Path:
        return self.mgi_data_dir / "admin-token"

    @property
    def key_signing_secret_file(self) -> Path:
        return self.mgi_data_dir / "key-signing-secret"

    def key_signing_secret(self) -> bytes:
        """MGI_KEY_SIGNING_SECRET, else the one `mgi stack up` stored under MGI_DATA_DIR, else
        (development only: production refuses to start without it) a fixed development one."""
        if self.mgi_key_signing_secret is not None:
            return self.mgi_key_signing_secret.get_secret_value().encode()
        path = self.key_signing_secret_file
        if path.is_file():
            return path.read_text().strip().encode()
        return DEVELOPMENT_SIGNING_SECRET

    def admin_key(self) -> str | None:
        """MGI_ADMIN_TOKEN, else the key `mgi stack up` stored under MGI_DATA_DIR."""
        if self.mgi_admin_token is not None:
            return self.mgi_admin_token.get_secret_value()
        path = self.admin_token_file
        return path.read_text().strip() if path.is_file() else None


# A production admin key is given, never generated, and long enough not to be guessed.
MIN_PRODUCTION_TOKEN_LENGTH = 32


FetchWaitMs = Annotated[int, Field(ge=0, le=5000)]
# The fetch wait of the services on the way from a submission to its results (intake,
# scoring), and of those off it (see mgi_shared.kafka.reliable.fetch_options).
ON_PATH_FETCH_WAIT_MS = 40
OFF_PATH_FETCH_WAIT_MS = 500


class ServiceSettings(PlatformSettings):
    """A service's own settings: its name decides its port, database and consumer group."""

    service_name: str = "mgi"
    # MGI_INSTANCE isolates one installation on shared Kafka and database servers (a staging
    # copy, or a test run): it goes into every database name and consumer group.
    mgi_instance: str | None = Field(default=None, max_length=40, pattern=r"^[a-z0-9]+$")
    # How long the broker may hold a fetch of this service's consumer to gather records (see
    # mgi_shared.kafka.reliable.fetch_options). 0: records are read as they come.
    mgi_fetch_wait_ms: FetchWaitMs = ON_PATH_FETCH_WAIT_MS

    @model_validator(mode="after")
    def production_needs_strong_secrets(self) -> "ServiceSettings":
        """Locally `mgi stack up` generates the admin key into MGI_DATA_DIR; a production
        service must not fall back on such a file, nor run with a short key."""
        if self.mgi_env != "production":
            return self
        for name, value in (("MGI_ADMIN_TOKEN", self.mgi_admin_token),
                            ("MGI_KEY_SIGNING_SECRET", self.mgi_key_signing_secret)):  # fmt: skip
            if len(value.get_secret_value() if value else "") < MIN_PRODUCTION_TOKEN_LENGTH:
                raise ValueError(
                    f"MGI_ENV=production needs {name} set to a random secret of at least "
                    f"{MIN_PRODUCTION_TOKEN_LENGTH} characters (e.g. `openssl rand -base64 32`)"
                )
        return self

    @property
    def database_name(self) -> str:
        instance = f"{self.mgi_instance}_" if self.mgi_instance else ""
        return f"mgi_{instance}{self.service_name}"

    @property
    def http_port(self) -> int:
        return self.port_of(self.service_name)

    @property
    def consumer_group(self) -> str:
        instance = f"{self.mgi_instance}-" if self.mgi_instance else ""
        return f"mgi-{instance}{self.service_name}"
