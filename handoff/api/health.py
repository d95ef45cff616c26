"""Liveness and readiness."""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from redis.exceptions import RedisError
from sqlalchemy import text

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    problems = []
    try:
        await request.app.state.redis.ping()
    except (RedisError, OSError) as error:
        problems.append(f"redis: {type(error).__name__}")

    def db_ok() -> None:
        with request.app.state.session_factory() as session:
            session.execute(text("SELECT 1"))

    try:
        await asyncio.to_thread(db_ok)
    except Exception as error:  # noqa: BLE001 (reported, not raised)
        problems.append(f"database: {type(error).__name__}")
    if problems:
        return JSONResponse({"status": "unavailable", "problems": problems}, status_code=503)
    return {"status": "ready"}
