"""Settings of the intake service: the platform's variables plus its own."""

from mgi_shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    service_name: str = "intake"
