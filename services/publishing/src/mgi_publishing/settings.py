"""Settings of the publishing service: the platform's variables plus its own."""

from pathlib import Path

from pydantic import Field, SecretStr

from mgi_shared.settings import OFF_PATH_FETCH_WAIT_MS, FetchWaitMs, ServiceSettings


class PublishingSettings(ServiceSettings):
    service_name: str = "publishing"
    mgi_fetch_wait_ms: FetchWaitMs = OFF_PATH_FETCH_WAIT_MS  # off the way to results.updated

    # Contract section 1: unset means the static portal under MGI_DATA_DIR/portal.
    portal_url: str | None = None
    portal_token: SecretStr | None = None
    # Where the full results and catalogue texts come from (events carry only changes and
    # structure); default: the local stack's ports.
    scoring_url: str | None = None
    intake_url: str | None = None
    # A portal write is retried within this budget, well under the consumer's poll interval
    # (5 min), then reported failed; `mgi portal resync` sends it again.
    portal_retry_seconds: float = Field(default=60.0, gt=0, le=240)
    portal_attempts: int = Field(default=8, ge=1, le=50)
    portal_timeout_seconds: float = Field(default=10.0, gt=0)

    @property
    def scoring_base_url(self) -> str:
        return (self.scoring_url or self.url_of("scoring")).rstrip("/")

    @property
    def intake_base_url(self) -> str:
        return (self.intake_url or self.url_of("intake")).rstrip("/")

    @property
    def portal_dir(self) -> Path:
        return self.mgi_data_dir / "portal"
