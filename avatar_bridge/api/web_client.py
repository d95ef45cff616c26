"""The customer web client, served from the bridge's own origin (so /ws/v1 and /audio need no CORS):
`/` is the full page, `/widget.js` the embeddable script. Both come from `web_client/dist`, which
`make setup` builds; without a build they answer 503 saying so."""

from pathlib import Path

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import FileResponse

from avatar_bridge.api.deps import SettingsDep

router = APIRouter(tags=["web client"])

NOT_BUILT = "the web client is not built: run `make setup` (it builds web_client/dist)"


def _built_file(directory: Path, name: str) -> Path:
    path = directory / name
    if not path.is_file():
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, NOT_BUILT)
    return path


@router.get("/", include_in_schema=False)
async def page(settings: SettingsDep) -> FileResponse:
    path = _built_file(settings.web_client_dir, "index.html")
    return FileResponse(path, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})


@router.get("/widget.js", include_in_schema=False)
async def widget(settings: SettingsDep) -> FileResponse:
    path = _built_file(settings.web_client_dir, "widget.js")
    # Revalidated on every load (ETag), so a rebuilt client is picked up at once.
    return FileResponse(path, media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "no-cache"})
