"""Entrypoint of the notifications service process (`mgi-notifications`)."""

from fastapi import FastAPI

from mgi_notifications.bootstrap import wire
from mgi_notifications.settings import NotificationsSettings
from mgi_shared.runtime import create_service_app, serve


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    return create_service_app(settings or NotificationsSettings(), wire, title="MGI notifications")


def run() -> None:
    settings = NotificationsSettings()
    serve(settings, create_app(settings))


if __name__ == "__main__":
    run()
