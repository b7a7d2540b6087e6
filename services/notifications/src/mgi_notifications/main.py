"""Entrypoint of the notifications service process (`mgi-notifications`)."""

from fastapi import FastAPI

from mgi_notifications.bootstrap import configure_app, wire
from mgi_notifications.settings import NotificationsSettings
from mgi_shared.runtime import create_service_app, serve


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    app = create_service_app(settings or NotificationsSettings(), wire, title="MGI notifications")
    configure_app(app)
    return app


def run() -> None:
    settings = NotificationsSettings()
    serve(settings, create_app(settings))


if __name__ == "__main__":
    run()
