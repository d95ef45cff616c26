"""`python -m bot.server.rasa [rasa run options]`: Rasa's server with its HTTP API behind JWT.

Rasa's `--auth-token` travels in the query string (and so into access logs); its JWT option reads
``Authorization: Bearer <token>``. The secret is handed to Rasa inside this process, so it never
appears on a command line (`ps`) either. CORS stays off: browsers never talk to Rasa, only the
bridge and the handoff service do. Rasa's channel webhooks are not covered by this check, so Rasa
must only be reachable on loopback or an internal network (the launcher and docker-compose.yml).
"""

from __future__ import annotations

import sys
from typing import List

from bot.server.settings import RasaSettings

# Options that would weaken what this entry point guarantees.
REFUSED_OPTIONS = ("--auth-token", "--cors", "--jwt-secret", "--jwt-method", "--jwt-private-key")


def rasa_arguments(options: List[str], jwt_secret: str) -> List[str]:
    refused = [option for option in options if option.split("=", 1)[0] in REFUSED_OPTIONS]
    if refused:
        raise ValueError(f"{', '.join(refused)}: set by this entry point, not on the command line")
    return ["rasa", "run", "--enable-api", *options, "--jwt-secret", jwt_secret, "--jwt-method", "HS256"]


def main(options: List[str]) -> int:
    settings = RasaSettings.from_env()
    try:
        settings.check("RASA_JWT_SECRET", "ACTION_SERVER_TOKEN", "AVATAR_BRIDGE_NLG_TOKEN", "REDIS_PASSWORD")
        arguments = rasa_arguments(options, settings.rasa_jwt_secret or "")
    except ValueError as error:
        print(f"rasa: {error}", file=sys.stderr)
        return 2
    from rasa.__main__ import main as rasa_main

    sys.argv = arguments
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
