"""The admin console page (static HTML + ES modules in admin/web/; data from /api/admin).

The page uses the host's sign-in and its shared console style and API helper (/static/css,
/static/js): the console is mounted into a service that has consoles and users.
"""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from admin.deps import Admin

router = APIRouter(include_in_schema=False)
WEB = Path(__file__).resolve().parents[1] / "web"
SCRIPTS_ONLY_OURS = (
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'"
)


def page_headers(face_preview_url: str) -> dict[str, str]:
    """The page loads only our own scripts; nothing inline; it is never framed, and it frames only
    the avatar bridge's face preview (admin/settings.py face_preview_url)."""
    policy = SCRIPTS_ONLY_OURS
    if face_preview_url:
        policy += f"; frame-src {face_preview_url.rstrip('/')}"
    return {"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


@router.get("/admin")
async def admin_page(admin: Admin) -> FileResponse:
    return FileResponse(WEB / "index.html", headers=page_headers(admin.settings.face_preview_url))
