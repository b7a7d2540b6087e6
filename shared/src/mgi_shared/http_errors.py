"""The platform's one shape for bad input: 422 {"detail": [{"field", "message"}, ...]}."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from mgi_shared.problems import Problem, from_pydantic


def problems_response(problems: list[Problem], status_code: int = 422) -> JSONResponse:
    return JSONResponse({"detail": [p.as_dict() for p in problems]}, status_code=status_code)


async def on_request_validation(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return problems_response(from_pydantic(error.errors(), drop=("body",)))


def install_validation_errors(app: FastAPI) -> None:
    """FastAPI's own validation errors (body, path, query) in the platform's shape."""
    app.add_exception_handler(RequestValidationError, on_request_validation)
