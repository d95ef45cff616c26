"""The app factory: settings in, FastAPI app out; services live for the app's lifespan."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from avatar_bridge.api import audio, health, nlg, web_client, websocket
from avatar_bridge.core.config import Settings
from avatar_bridge.core.services import BridgeServices


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = await BridgeServices.start(settings)
        app.state.services = services
        try:
            yield
        finally:
            await services.stop()

    app = FastAPI(title="Avatar bridge", version="1", lifespan=lifespan)
    for module in (health, nlg, audio, websocket, web_client):
        app.include_router(module.router)
    return app
