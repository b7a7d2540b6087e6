"""One error shape for every refusal: {"detail": [{"field", "message"}]} for bad input."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from mgi_intake.domain.problems import Problem, from_pydantic
from mgi_intake.service_layer.errors import (
    ConflictError,
    ForbiddenError,
    IntakeError,
    InvalidError,
    NotFoundError,
)


def problems_response(problems: list[Problem]) -> JSONResponse:
    return JSONResponse({"detail": [p.as_dict() for p in problems]}, status_code=422)


async def on_request_validation(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return problems_response(from_pydantic(error.errors(), drop=("body",)))


async def on_intake_error(_: Request, error: Exception) -> JSONResponse:
    if isinstance(error, InvalidError):
        return problems_response(error.problems)
    if isinstance(error, ConflictError):
        body: dict[str, object] = {"detail": str(error)}
        if error.allowed_next:
            body["allowed_next"] = error.allowed_next
        return JSONResponse(body, status_code=409)
    status = (
        403
        if isinstance(error, ForbiddenError)
        else 404
        if isinstance(error, NotFoundError)
        else 500
    )
    return JSONResponse({"detail": str(error)}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, on_request_validation)
    app.add_exception_handler(IntakeError, on_intake_error)
