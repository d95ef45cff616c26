"""The console pages (static HTML + ES modules; the data comes from the API with a bearer token)."""

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse

from handoff.core.config import PACKAGE_DIR

router = APIRouter(include_in_schema=False)
WEB = PACKAGE_DIR / "web"
HEADERS = {
    # Pages load only our own scripts; nothing inline, no framing.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@router.get("/")
async def root() -> RedirectResponse:
    return RedirectResponse("/login")


@router.get("/login")
async def login_page() -> FileResponse:
    return FileResponse(WEB / "login.html", headers=HEADERS)


@router.get("/agent")
async def agent_page() -> FileResponse:
    return FileResponse(WEB / "agent.html", headers=HEADERS)


@router.get("/supervisor")
async def supervisor_page() -> FileResponse:
    return FileResponse(WEB / "supervisor.html", headers=HEADERS)
