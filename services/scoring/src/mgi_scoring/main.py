"""Entrypoint of the scoring service process (`mgi-scoring`)."""

from fastapi import FastAPI

from mgi_scoring.bootstrap import configure_app, wire
from mgi_scoring.settings import ScoringSettings
from mgi_shared.runtime import create_service_app, serve


def create_app(settings: ScoringSettings | None = None) -> FastAPI:
    app = create_service_app(settings or ScoringSettings(), wire, title="MGI scoring")
    configure_app(app)
    return app


def run() -> None:
    settings = ScoringSettings()
    serve(settings, create_app(settings))


if __name__ == "__main__":
    run()
