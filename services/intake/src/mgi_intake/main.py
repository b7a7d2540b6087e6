"""Entrypoint of the intake service process (`mgi-intake`)."""

from fastapi import FastAPI
from mgi_shared.runtime import create_service_app, serve

from mgi_intake.bootstrap import wire
from mgi_intake.settings import IntakeSettings


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    return create_service_app(settings or IntakeSettings(), wire, title="MGI intake")


def run() -> None:
    settings = IntakeSettings()
    serve(settings, create_app(settings))


if __name__ == "__main__":
    run()
