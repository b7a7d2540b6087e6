"""Settings of the scoring service: the platform's variables plus its own."""

from mgi_shared.settings import ServiceSettings


class ScoringSettings(ServiceSettings):
    service_name: str = "scoring"
