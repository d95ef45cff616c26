"""Refusals in the same shape as the service's own validation errors: ``{detail, problems}``."""

from fastapi.responses import JSONResponse


def problems_response(status: int, message: str, problems: list[str]) -> JSONResponse:
    return JSONResponse({"detail": message, "problems": list(problems)}, status_code=status)
