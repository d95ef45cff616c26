"""``python -m handoff``: serve the handoff service with uvicorn."""

from typing import Any

import uvicorn

from common import log_privacy
from common.http_guard import forwarding_options
from handoff.app import create_app
from handoff.core.config import HandoffSettings


def uvicorn_options(settings: HandoffSettings) -> dict[str, Any]:
    """How uvicorn serves the service (the tests serve it the same way)."""
    # X-Forwarded-For only from the configured proxies, else from nobody.
    return {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        **forwarding_options(settings.trusted_proxies),
    }


def main() -> None:
    settings = HandoffSettings()
    log_privacy.install()  # every record, uvicorn's access log included (docs/operations.md)
    uvicorn.run(create_app(settings), **uvicorn_options(settings))


if __name__ == "__main__":
    main()
