"""The speech workers are spawned processes: their logs and prints are masked like the bridge's."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

WORKER = """
import logging
from avatar_bridge.speech import engine
engine.initialise_worker()
logging.getLogger("speech").warning("could not say: write to anna.schmidt@example.org")
print("card 4111 1111 1111 1111", flush=True)
"""


def test_a_speech_worker_masks_what_it_logs_and_prints() -> None:
    result = subprocess.run(
        [sys.executable, "-c", WORKER], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    output = result.stdout + result.stderr
    assert "could not say: write to [email]" in output
    assert "card [card]" in output
    assert "anna.schmidt@example.org" not in output and "4111 1111" not in output
