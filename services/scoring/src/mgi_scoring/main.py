"""Entrypoint of the scoring service process (`mgi-scoring`)."""

from fastapi import FastAPI

from mgi_scoring.bootstrap import wire
from mgi_scoring.settings import ScoringSettings
from mgi_shared.runtime import create_service_app, serve


def create_app(settings: ScoringSettings | None = None) -> FastAPI:
    return create_service_app(settings or ScoringSettings(), wire, title="MGI scoring")


def run() -> None:
    settings = ScoringSettings()
    serve(settings, create_app(settings))


if __name__ == "__main__":
    run()
