"""Entrypoint of the publishing service process (`mgi-publishing`)."""

from fastapi import FastAPI

from mgi_publishing.bootstrap import configure_app, wire
from mgi_publishing.settings import PublishingSettings
from mgi_shared.runtime import create_service_app, serve


def create_app(settings: PublishingSettings | None = None) -> FastAPI:
    app = create_service_app(settings or PublishingSettings(), wire, title="MGI publishing")
    configure_app(app)
    return app


def run() -> None:
    settings = PublishingSettings()
    serve(settings, create_app(settings))


if __name__ == "__main__":
    run()
