"""`python -m bot.server.actions`: the action server, answering only Rasa.

rasa_sdk's own `rasa run actions` listens on every interface and serves anyone who can reach it:
a forged `POST /webhook` with `verified: true` in its slots would read any customer's account.
Here every request except `GET /health` (liveness, no data) must carry
``Authorization: Bearer $ACTION_SERVER_TOKEN``, which Rasa sends (bot/endpoints.yml), and the
server binds to ACTION_SERVER_HOST (127.0.0.1 unless a container needs its internal network).
Settings: bot/actions/settings.py, the action server's one settings object.
"""

from __future__ import annotations

import logging
import sys
from typing import Optional

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.actions.settings import ActionSettings
from common.service_auth import bearer_matches

logger = logging.getLogger(__name__)
OPEN_PATHS = frozenset({"/health"})


def create_action_app(token: str) -> Sanic:
    from rasa_sdk.endpoint import create_app

    app = create_app("bot.actions", cors_origins=None)

    @app.middleware("request")
    async def only_rasa(request: Request) -> Optional[HTTPResponse]:
        if request.path in OPEN_PATHS or bearer_matches(request.headers.get("authorization"), token):
            return None
        logger.warning("refused an action call without our services' credentials (%s %s)", request.method, request.path)
        return response.json({"error": "This service answers only the dialogue engine."}, status=401)

    return app


def main() -> int:
    from rasa_sdk import utils

    try:
        settings = ActionSettings()
    except ValueError as error:  # pydantic's ValidationError names the variables
        print(f"action server: {error}", file=sys.stderr)
        return 2
    if not settings.token:
        print("action server: set ACTION_SERVER_TOKEN (scripts/env.sh has a development value)", file=sys.stderr)
        return 2
    utils.configure_colored_logging("INFO")
    utils.update_sanic_log_level()
    app = create_action_app(settings.token)
    logger.info("action server on http://%s:%d", settings.host, settings.port)
    app.run(settings.host, settings.port, workers=utils.number_of_sanic_workers(), access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
