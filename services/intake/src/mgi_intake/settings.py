"""Settings of the intake service: the platform's variables plus its own."""

from mgi_shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    service_name: str = "intake"
    # Off only in tests that need a stored-but-not-yet-published event.
    intake_outbox_relay: bool = True
