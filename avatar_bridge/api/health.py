"""Liveness (/healthz: the process answers) and readiness (/readyz: Redis and Rasa answer)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from redis.exceptions import RedisError

from avatar_bridge.api.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(services: ServicesDep) -> JSONResponse:
    try:
        redis_ok = bool(await services.redis.ping())
    except (RedisError, OSError):
        redis_ok = False
    rasa_ok = await services.rasa.is_reachable()
    ready = redis_ok and rasa_ok
    body = {"status": "ready" if ready else "not ready", "redis": redis_ok, "rasa": rasa_ok}
    return JSONResponse(body, status_code=200 if ready else 503)
