"""The avatar the page shows: `GET /avatar.json` (the admin's choice, else the deployment's;
docs/protocol.md "Avatar")
and `GET /avatars/{file}` (the shipped models, from the built web client)."""

import asyncio

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import FileResponse, JSONResponse

from avatar_bridge.api.deps import ServicesDep, SettingsDep
from avatar_bridge.api.web_client import NOT_BUILT
from avatar_bridge.avatars.catalogue import Catalogue, CatalogueError

router = APIRouter(tags=["web client"])
# Shop pages embed the widget from another origin and fetch these with CORS.
SHARED = {"Access-Control-Allow-Origin": "*"}


async def _catalogue(settings: SettingsDep) -> Catalogue:
    try:
        return await asyncio.to_thread(Catalogue.load, settings.web_client_dir / "avatars")
    except CatalogueError as error:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, NOT_BUILT) from error


@router.get("/avatar.json", include_in_schema=False)
async def avatar_config(services: ServicesDep) -> JSONResponse:
    settings = services.settings
    catalogue = await _catalogue(settings)
    # Read per request: a choice made in the admin console reaches the next page load.
    config = catalogue.page_config(services.avatar.current.avatar, test_hooks=not settings.production)
    return JSONResponse(config, headers={**SHARED, "Cache-Control": "no-cache"})


@router.get("/avatars/{name}", include_in_schema=False)
async def avatar_file(name: str, settings: SettingsDep) -> FileResponse:
    catalogue = await _catalogue(settings)
    if name not in catalogue.files():
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such avatar file")
    path = settings.web_client_dir / "avatars" / name
    if not path.is_file():
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, NOT_BUILT)
    return FileResponse(path, headers={**SHARED, "Cache-Control": "public, max-age=3600"})
