"""One error shape for every refusal: {"detail": [{"field", "message"}]} for bad input."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from mgi_intake.service_layer.errors import (
    ConflictError,
    ForbiddenError,
    IntakeError,
    InvalidError,
    NotFoundError,
    TooLargeError,
)
from mgi_shared.http_errors import install_validation_errors, problems_response


async def on_intake_error(_: Request, error: Exception) -> JSONResponse:
    if isinstance(error, TooLargeError):
        return problems_response(error.problems, status_code=413)
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
    install_validation_errors(app)
    app.add_exception_handler(IntakeError, on_intake_error)
