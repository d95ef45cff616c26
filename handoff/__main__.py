"""``python -m handoff``: serve the handoff service with uvicorn."""

import uvicorn

from handoff.app import create_app
from common import log_privacy
from handoff.core.config import HandoffSettings


def main() -> None:
    settings = HandoffSettings()
    log_privacy.install()  # every record, uvicorn's access log included (docs/operations.md)
    logging_level = settings.log_level
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level=logging_level)


if __name__ == "__main__":
    main()
