"""Settings of the publishing service: the platform's variables plus its own."""

from mgi_shared.settings import ServiceSettings


class PublishingSettings(ServiceSettings):
    service_name: str = "publishing"
