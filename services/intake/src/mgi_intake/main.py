"""Entrypoint of the intake service process (`mgi-intake`)."""

from fastapi import FastAPI

from mgi_intake.bootstrap import configure_app, wire
from mgi_intake.settings import IntakeSettings
from mgi_shared.runtime import create_service_app, serve


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    app = create_service_app(settings, wire, title="MGI intake")
    configure_app(app)
    return app


def run() -> None:
    settings = IntakeSettings()
    serve(settings, create_app(settings))


if __name__ == "__main__":
    run()
