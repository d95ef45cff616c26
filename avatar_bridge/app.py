"""The app factory: settings in, FastAPI app out; services live for the app's lifespan."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.responses import Response

from avatar_bridge.api import (
    audio,
    avatar_choice,
    avatar_model,
    health,
    nlg,
    tone,
    web_client,
    websocket,
    widget_config,
)
from avatar_bridge.core.config import Settings
from avatar_bridge.core.guard import guard_config
from avatar_bridge.core.metrics import BridgeMetrics
from avatar_bridge.core.services import BridgeServices
from common.http_guard import HttpGuard


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    metrics = BridgeMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = await BridgeServices.start(settings, metrics)
        app.state.services = services
        try:
            yield
        finally:
            await services.stop()

    app = FastAPI(title="Avatar bridge", version="1", lifespan=lifespan)
    # avatar_choice before tone: /internal/tone/avatar is not one of tone's /internal/tone/{document}.
    for module in (health, nlg, audio, websocket, web_client, widget_config, avatar_model, avatar_choice, tone):
        app.include_router(module.router)
    app.state.metrics = metrics
    # Rate limits, body size, security headers (docs/operations.md "Hardening").
    limits, hooks = guard_config(settings, metrics)
    app.add_middleware(HttpGuard, limits=limits, hooks=hooks)

    @app.get("/metrics", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        """Prometheus text format; on the service's own port (restrict it: docs/operations.md)."""
        return metrics.render()

    return app
