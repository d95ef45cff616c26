"""The avatar's expression table, locale playbooks and the avatar shown, edited through the avatar bridge's internal
interface (/internal/tone, avatar_bridge/api/tone.py): the bridge owns these files, checks a
replacement with its own loaders and applies it live. The console only carries text to and fro.
"""

from typing import Any

import httpx


class ToneRejected(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class ToneUnavailable(Exception):
    """The bridge could not be reached or failed; nothing was changed by the console."""


class ToneNotFound(Exception):
    pass


class BridgeTone:
    def __init__(self, bridge_url: str, auth: httpx.Auth | None, timeout_s: float = 15.0) -> None:
        self._http = httpx.AsyncClient(base_url=bridge_url.rstrip("/"), auth=auth, timeout=timeout_s)

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict:
        try:
            answer = await self._http.request(method, f"/internal/tone{path}", **kwargs)
        except httpx.HTTPError as error:
            raise ToneUnavailable(f"the avatar bridge did not answer ({type(error).__name__})") from None
        if answer.status_code == 404:
            raise ToneNotFound(answer.json().get("detail", "not found"))
        if answer.status_code == 422:
            problems = answer.json().get("problems") or [answer.json().get("detail", "rejected")]
            raise ToneRejected([str(p) for p in problems])
        if answer.status_code != 200:
            raise ToneUnavailable(f"the avatar bridge answered {answer.status_code}")
        return answer.json()

    async def documents(self) -> dict:
        return await self._call("GET", "")

    async def read(self, document_id: str) -> dict:
        return await self._call("GET", f"/{document_id}")

    async def replace(self, document_id: str, text: str) -> dict:
        return await self._call("PUT", f"/{document_id}", json={"text": text})

    async def table_form(self) -> dict:
        return await self._call("GET", "/expression-table/form")

    async def save_table_form(self, form: dict) -> dict:
        return await self._call("PUT", "/expression-table/form", json=form)

    async def avatar(self) -> dict:
        return await self._call("GET", "/avatar")

    async def choose_avatar(self, avatar: str, changed_by: str) -> dict:
        return await self._call("PUT", "/avatar", json={"avatar": avatar, "changed_by": changed_by})

    async def aclose(self) -> None:
        await self._http.aclose()
