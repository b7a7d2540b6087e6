"""Settings of the intake service: the platform's variables plus its own."""

from pydantic import Field

from mgi_shared.settings import ServiceSettings

ONE_MIB = 1024 * 1024


class IntakeSettings(ServiceSettings):
    service_name: str = "intake"
    intake_max_body_bytes: int = Field(default=ONE_MIB, gt=0)
    # Off only in tests that need a stored-but-not-yet-published event.
    intake_outbox_relay: bool = True
