"""The customer web client, served from the bridge's own origin (so /ws/v1 and /audio need no CORS):
`/` is the full page, `/widget.js` the embeddable script. Both come from `web_client/dist`, which
`make setup` builds; without a build they answer 503 saying so. In development, `/?signed_in=james`
shows the page as a shop embeds it for a signed-in customer (api/demo_sign_in.py)."""

import asyncio
from pathlib import Path

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import FileResponse, HTMLResponse, Response

from avatar_bridge.api.demo_sign_in import DEMO_CUSTOMERS, demo_token, page_signed_in
from avatar_bridge.api.deps import SettingsDep

router = APIRouter(tags=["web client"])

NOT_BUILT = "the web client is not built: run `make setup` (it builds web_client/dist)"


def _built_file(directory: Path, name: str) -> Path:
    path = directory / name
    if not path.is_file():
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, NOT_BUILT)
    return path


@router.get("/", include_in_schema=False)
async def page(settings: SettingsDep, signed_in: str | None = None) -> Response:
    path = _built_file(settings.web_client_dir, "index.html")
    if signed_in is None or settings.production:
        return FileResponse(path, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})
    token = demo_token(signed_in, settings)
    if token is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"demo customers: {', '.join(sorted(DEMO_CUSTOMERS))}")
    page_text = await asyncio.to_thread(path.read_text, encoding="utf-8")
    # no-store: the page carries a credential.
    return HTMLResponse(page_signed_in(page_text, token), headers={"Cache-Control": "no-store"})


@router.get("/widget.js", include_in_schema=False)
async def widget(settings: SettingsDep) -> FileResponse:
    path = _built_file(settings.web_client_dir, "widget.js")
    # Revalidated on every load (ETag), so a rebuilt client is picked up at once.
    return FileResponse(path, media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "no-cache"})
