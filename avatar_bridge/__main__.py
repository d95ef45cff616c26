"""`python -m avatar_bridge`: serve the bridge with uvicorn on the configured host and port."""

import logging
from typing import Any

import uvicorn

from avatar_bridge.app import create_app
from avatar_bridge.core.config import Settings
from common import log_privacy
from common.http_guard import forwarding_options

# Frames above this never reach the app (uvicorn closes with 1009); below it, the app's own
# max_frame_bytes answers with a frame_too_large error and keeps the socket open.
_WEBSOCKET_HARD_LIMIT_BYTES = 1024 * 1024


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How uvicorn serves the bridge (the tests serve it the same way)."""
    return {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        "ws_max_size": _WEBSOCKET_HARD_LIMIT_BYTES,
        # X-Forwarded-For only from the configured load balancer(s), else from nobody.
        **forwarding_options(settings.trusted_proxies),
    }


def main() -> None:
    settings = Settings()
    log_privacy.install()  # every record, uvicorn's access log included (docs/operations.md)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.run(create_app(settings), **uvicorn_options(settings))


# The guard matters: speech workers are spawned processes that re-import this module.
if __name__ == "__main__":
    main()
