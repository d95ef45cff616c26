"""The app factory: settings, Redis, SQL, background workers and the routers.

Routers come from the modules in ``ROUTER_MODULES`` (each exposes ``router``). The admin console is
its own part (admin/), mounted here with what it needs from this service (handoff/admin_host.py).
Pages are static files in ``handoff/web/``.
"""

import importlib
import logging
from contextlib import asynccontextmanager
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from redis.exceptions import RedisError

from admin.mount import close_admin, mount_admin
from common.http_guard import HttpGuard
from handoff.admin_host import admin_host
from handoff.auth.tokens import TokenStore
from handoff.core.config import PACKAGE_DIR, HandoffSettings
from handoff.core.db import create_schema, make_engine, make_session_factory
from handoff.core.guard import guard_config
from handoff.core.metrics import HandoffMetrics
from handoff.core.redis import app_redis

logger = logging.getLogger(__name__)

ROUTER_MODULES: tuple[str, ...] = (
    "handoff.api.health",
    "handoff.api.auth",
    "handoff.api.pages",
    "handoff.api.incidents",
    "handoff.api.queue",
    "handoff.api.conversations",
    "handoff.api.assist",
    "handoff.api.supervisor",
    "handoff.api.live",
)

WEB_DIR = PACKAGE_DIR / "web"


def create_app(settings: HandoffSettings | None = None, *, run_workers: bool = True) -> FastAPI:
    settings = settings or HandoffSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from handoff.workers import Workers  # the workers need the whole package

        engine = make_engine(settings.database_url)
        create_schema(engine)
        app.state.engine = engine
        app.state.session_factory = make_session_factory(engine)
        app.state.redis = app_redis(settings)
        app.state.tokens = TokenStore(app.state.redis, settings.key_prefix, settings.token_ttl_seconds)
        from handoff.queue.store import QueueStore

        app.state.queue = QueueStore(app.state.redis, settings)
        # Data from before the ranked index, or ranked with other weights: indexed before serving;
        # with Redis away, by the housekeeping once it is back (handoff/workers.py).
        try:
            await app.state.queue.ensure_rank_index()
            app.state.rank_index_ready = True
        except (RedisError, OSError) as error:
            logger.warning("ranked queue index not checked at start-up: %s", type(error).__name__)
            app.state.rank_index_ready = False
        workers = Workers(app, settings)
        if run_workers:
            workers.start()
        try:
            yield
        finally:
            await workers.stop()
            await close_admin(app)
            await app.state.redis.aclose()
            engine.dispose()

    app = FastAPI(title="Handoff service", version="1", lifespan=lifespan)
    app.state.settings = settings
    metrics = HandoffMetrics(settings)
    app.state.metrics = metrics
    # Body size (chunked too), per-IP rate limits, security headers (docs/operations.md "Hardening").
    limits, hooks = guard_config(settings, metrics)
    app.add_middleware(HttpGuard, limits=limits, hooks=hooks)

    @app.get("/metrics", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        """Prometheus text format; on the service's own port (restrict it: docs/operations.md)."""
        return await metrics.render_from(app.state.redis)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in item.get('loc', ()) if p != 'body') or 'body'}: {item.get('msg')}"
            for item in error.errors()
        ]
        return JSONResponse({"detail": "The request is not valid.", "problems": problems}, status_code=422)

    @app.exception_handler(RedisError)
    async def redis_unavailable(_request: Request, error: RedisError) -> JSONResponse:
        # Redis is away (restarting) beyond the client's retries: a clear "try again", not a 500.
        logger.warning("request failed: Redis unavailable (%s)", type(error).__name__)
        return JSONResponse(
            {"detail": "The service is briefly unavailable; please try again in a few seconds."},
            status_code=503,
            headers={"Retry-After": "3"},
        )

    for name in ROUTER_MODULES:
        app.include_router(importlib.import_module(name).router)
    mount_admin(app, admin_host(app, settings))
    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    return app
