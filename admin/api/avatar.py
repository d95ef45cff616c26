"""Admin: which shipped avatar the customers see (and hear), kept and applied by the avatar bridge
(/internal/tone/avatar, avatar_bridge/tone/avatar_choice.py). Admins only."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from admin.api.tone import relay_to_bridge
from admin.deps import Admin, AdminUser
from admin.errors import problems_response
from admin.tone import ToneRejected
from contracts.avatars import avatar_gender, avatar_ids, unknown_avatar_problem
from contracts.display_names import display_name

router = APIRouter(prefix="/api/admin/avatar", tags=["admin"])
FIELD = "avatar"


def _options() -> list[dict]:
    return [
        {"id": avatar, "name": display_name("avatars", avatar), "gender": avatar_gender(avatar)}
        for avatar in avatar_ids()
    ]


def _shown(answer: dict) -> dict:
    keys = ("avatar", "source", "changed_by", "changed_at", "default", "voices", "applies")
    return {**{key: answer.get(key) for key in keys}, "name": display_name("avatars", answer["avatar"])}


@router.get("")
async def read_avatar(_user: AdminUser, admin: Admin) -> dict:
    """The avatar shown now (the admin's choice or the deployment's default) and the ones on offer."""
    return {**_shown(await relay_to_bridge(admin.tone.avatar())), "options": _options()}


@router.put("", response_model=None)
async def choose_avatar(body: dict, user: AdminUser, admin: Admin) -> dict | JSONResponse:
    """Checked here (a clear 422 naming the field, nothing sent) and again by the bridge, which stores it."""
    problems = [f"{key}: not a setting of this form" for key in sorted(body) if key != FIELD][:5]
    if FIELD not in body:
        problems.append(f"{FIELD}: required (one of: {', '.join(avatar_ids())})")
    elif problem := unknown_avatar_problem(FIELD, body[FIELD]):
        problems.append(problem)
    if problems:
        return problems_response(422, "Nothing was saved.", problems)
    try:
        answer = await relay_to_bridge(admin.tone.choose_avatar(body[FIELD], user.username))
    except ToneRejected as error:
        return problems_response(422, "Nothing was saved.", error.problems)
    return {**_shown(answer), "saved": True, "options": _options()}
