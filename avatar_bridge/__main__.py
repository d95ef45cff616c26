"""`python -m avatar_bridge`: serve the bridge with uvicorn on the configured host and port."""

import logging

import uvicorn

from avatar_bridge.app import create_app
from avatar_bridge.core.config import Settings
from common import log_privacy

# Frames above this never reach the app (uvicorn closes with 1009); below it, the app's own
# max_frame_bytes answers with a frame_too_large error and keeps the socket open.
_WEBSOCKET_HARD_LIMIT_BYTES = 1024 * 1024


def main() -> None:
    settings = Settings()
    log_privacy.install()  # every record, uvicorn's access log included (docs/operations.md)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        ws_max_size=_WEBSOCKET_HARD_LIMIT_BYTES,
    )


# The guard matters: speech workers are spawned processes that re-import this module.
if __name__ == "__main__":
    main()
