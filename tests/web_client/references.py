"""The web client's screenshots compared with the references in tests/web_client/reference/
(tests/support/screens.py; stricter than the consoles': the avatar's face is small)."""

from __future__ import annotations

from pathlib import Path

from tests.support.screens import ROOT, check_screenshot

REFERENCE_DIR = Path(__file__).parent / "reference"
OUTPUT_DIR = ROOT / "results" / "web_client"
MAX_CHANGED_SHARE = 0.01  # pixels differing by more than 48 in any channel


def assert_matches_reference(png: bytes, name: str) -> None:
    check_screenshot(png, REFERENCE_DIR / f"{name}.png", max_changed_share=MAX_CHANGED_SHARE, output_dir=OUTPUT_DIR)
