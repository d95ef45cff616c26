"""httpx authentication for Rasa's HTTP API: a fresh short-lived JWT on every request
(common/service_auth.py), so a client that lives for hours never sends an expired one."""

from __future__ import annotations

from collections.abc import Generator

import httpx

from common.service_auth import RasaJwt


class RasaApiAuth(httpx.Auth):
    def __init__(self, secret: str, service: str) -> None:
        self._jwt = RasaJwt(secret, service)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._jwt.token()}"
        yield request
