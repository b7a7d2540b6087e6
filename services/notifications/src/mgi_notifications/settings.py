"""Settings of the notifications service: the platform's variables plus its own."""

from mgi_shared.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    service_name: str = "notifications"
