"""What a speech worker program writes to its standard error reaches the bridge's log through the
bridge's logger, masked like every other record: it never bypasses the masking."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# A stand-in worker: says something private on stderr, then answers one request.
FAKE_WORKER = (
    "import json, sys\n"
    "print('could not say: write to anna.schmidt@example.org, card 4111 1111 1111 1111', file=sys.stderr, flush=True)\n"
    "request = json.loads(sys.stdin.readline())\n"
    "print(json.dumps({'id': request['id'], 'ok': True}), flush=True)\n"
)

BRIDGE = f"""
import asyncio, logging, sys
from common import log_privacy
from avatar_bridge.speech.worker_pool import SpeechWorkerPool

log_privacy.install()  # as python -m avatar_bridge does
logging.basicConfig(level=logging.INFO, stream=sys.stderr)

async def main():
    pool = SpeechWorkerPool("espeak-ng", 1, 10.0, [], command=(sys.executable, "-c", {FAKE_WORKER!r}))
    assert (await pool.request({{"engine": "espeak"}}))["ok"]
    await pool.aclose()

asyncio.run(main())
"""


def test_a_speech_workers_stderr_is_logged_by_the_bridge_and_masked() -> None:
    result = subprocess.run(
        [sys.executable, "-c", BRIDGE], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    output = result.stdout + result.stderr
    assert "espeak-ng worker: could not say: write to [email], card [card]" in output
    assert "anna.schmidt@example.org" not in output and "4111 1111" not in output
