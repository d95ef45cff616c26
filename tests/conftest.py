"""Makes the repository root importable for every test run, whichever environment runs it."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# The one headless Chromium of a test run (services environment only; see tests/support/browser.py).
from tests.support.browser import chromium  # noqa: E402, F401
