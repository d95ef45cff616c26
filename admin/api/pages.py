"""The admin console page (static HTML + ES modules in admin/web/; data from /api/admin).

The page uses the host's sign-in and its shared console style and API helper (/static/css,
/static/js): the console is mounted into a service that has consoles and users.
"""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

router = APIRouter(include_in_schema=False)
WEB = Path(__file__).resolve().parents[1] / "web"
HEADERS = {
    # The page loads only our own scripts; nothing inline, no framing.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@router.get("/admin")
async def admin_page() -> FileResponse:
    return FileResponse(WEB / "index.html", headers=HEADERS)
