"""`python -m bot.server.actions`: the action server, answering only Rasa.

rasa_sdk's own `rasa run actions` listens on every interface and serves anyone who can reach it:
a forged `POST /webhook` with `verified: true` in its slots would read any customer's account.
Here every request except `GET /health` (liveness, no data) must carry
``Authorization: Bearer $ACTION_SERVER_TOKEN``, which Rasa sends (bot/endpoints.yml), and the
server binds to ACTION_SERVER_HOST (127.0.0.1 unless a container needs its internal network).
"""

from __future__ import annotations

import logging
import sys
from typing import Optional

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.server.settings import RasaProcessSettings
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
        logger.warning("refused an action call without our services' credentials (%s %s)",
                       request.method, request.path)
        return response.json({"error": "This service answers only the dialogue engine."}, status=401)

    return app


def main() -> int:
    from rasa_sdk import utils

    settings = RasaProcessSettings.from_env()
    try:
        settings.check("ACTION_SERVER_TOKEN", "REDIS_PASSWORD")
    except ValueError as error:
        print(f"action server: {error}", file=sys.stderr)
        return 2
    utils.configure_colored_logging("INFO")
    utils.update_sanic_log_level()
    app = create_action_app(settings.action_server_token or "")
    logger.info("action server on http://%s:%d", settings.action_server_host, settings.action_server_port)
    app.run(settings.action_server_host, settings.action_server_port, workers=utils.number_of_sanic_workers(),
            access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
