"""Settings of the notifications service: the platform's variables plus its own."""

from pydantic import Field, SecretStr

from mgi_shared.settings import OFF_PATH_FETCH_WAIT_MS, FetchWaitMs, ServiceSettings


class NotificationsSettings(ServiceSettings):
    service_name: str = "notifications"
    mgi_fetch_wait_ms: FetchWaitMs = OFF_PATH_FETCH_WAIT_MS  # off the way to results.updated

    # Outgoing mail (contract section 1).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_from: str = "mgi@localhost"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)

    # Webhooks may reach loopback and private networks only when the operator says so
    # (`mgi stack up` does, for the local stack): no request forgery into their network.
    mgi_webhook_allow_private: bool = False
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)

    # Submission events of one assessment are mailed together at most this long after the first.
    mgi_digest_seconds: float = Field(default=60.0, gt=0, le=60.0)
    # Sends of one delivery: the first plus retries with growing pauses, then `failed`.
    mgi_delivery_max_attempts: int = Field(default=6, ge=1, le=30)
    mgi_delivery_retry_base_seconds: float = Field(default=5.0, gt=0)
    # A send claimed by a process that died is taken over after this long.
    mgi_delivery_lease_seconds: float = Field(default=60.0, gt=0)
    # How often the sender looks for due deliveries it was not told about (retries, others' crashes).
    mgi_delivery_sweep_seconds: float = Field(default=2.0, gt=0)
