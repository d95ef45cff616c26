"""Makes the repository root importable for every test run, whichever environment runs it."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Bridges the tests start (the launcher's systems inherit this) load the speech recogniser only when
# a test speaks: a warm-up in every one would cost each ~360 MB and seconds of CPU on a 2-core machine.
os.environ.setdefault("AVATAR_BRIDGE_SPEECH_IN_WARM_UP", "false")


# The one headless Chromium of a test run (services environment only; see tests/support/browser.py).
from tests.support.browser import chromium  # noqa: E402, F401
