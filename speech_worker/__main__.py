"""The worker loop: JSON requests on stdin, JSON replies on stdout (README.md).

A request's "engine" ("piper", the default, or "espeak") chooses the synthesiser; each is loaded on
its first request, so a worker the bridge uses for one engine never loads the other.
"""

import json
import logging
import os
import sys

from speech_worker import espeak_engine, piper_engine

_HANDLERS = {"piper": piper_engine.handle, "espeak": espeak_engine.handle}


def handle(request: dict) -> dict:
    engine = request.get("engine", "piper")
    if engine not in _HANDLERS:
        raise ValueError("unknown engine")
    return _HANDLERS[engine](request)


def main() -> int:
    # Replies own stdout; anything a library prints goes to stderr instead.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    sys.stdout = sys.stderr
    # Piper logs the text it phonemizes at DEBUG; keep warnings only (the text is private).
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    for line in sys.stdin:
        if not line.strip():
            continue
        request_id = None
        try:
            request = json.loads(line)
            request_id = request.get("id")
            reply = handle(request)
        except Exception as error:  # every request gets a reply; the worker stays up
            reply = {"id": request_id, "ok": False, "error": type(error).__name__}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
