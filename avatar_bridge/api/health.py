"""Liveness (/healthz: the process answers) and readiness (/readyz: the bridge can serve).

Ready means Redis answers through the bridge's own connection pool and Rasa answers. A PING that
cannot get a pooled connection within the pool's wait is "pool exhausted": Redis may be fine, but
every customer's command would fail the same way. A pool that is merely busy, with a connection
freeing up within the wait, is still ready (a burst should not take the instance out of rotation).
"""

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from redis.exceptions import MaxConnectionsError, RedisError

from avatar_bridge.api.deps import ServicesDep
from avatar_bridge.core.services import BridgeServices

router = APIRouter(tags=["health"])

# How long Redis may take to answer the PING once it has a connection.
_PING_TIMEOUT_S = 2.0


@router.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(services: ServicesDep) -> JSONResponse:
    redis_problem = await _redis_problem(services)
    rasa_ok = await services.rasa.is_reachable()
    problems = [problem for problem in (redis_problem, None if rasa_ok else "rasa unreachable") if problem]
    pool = services.redis.connection_pool
    body: dict = {
        "status": "not ready" if problems else "ready",
        "redis": redis_problem is None,
        "rasa": rasa_ok,
        "redis_pool": {"in_use": pool.in_use, "size": pool.max_connections},
    }
    if problems:
        body["reason"] = "; ".join(problems)
    return JSONResponse(body, status_code=503 if problems else 200)


async def _redis_problem(services: BridgeServices) -> str | None:
    wait_s = services.settings.redis_pool_timeout_s
    try:
        # The pool's own wait comes first; asyncio's timeout covers a Redis that does not answer.
        await asyncio.wait_for(services.redis.ping(), wait_s + _PING_TIMEOUT_S)
    except MaxConnectionsError:
        return f"redis pool exhausted (no free connection within {wait_s:g} s)"
    except (RedisError, OSError) as error:
        return f"redis unreachable ({type(error).__name__})"
    except asyncio.TimeoutError:
        return f"redis not answering (no reply within {_PING_TIMEOUT_S:g} s)"
    return None
