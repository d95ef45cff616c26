"""The vendored chart library is the published file this README names (admin/web/vendor/)."""

import hashlib
import re
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "admin" / "web" / "vendor"


def test_chart_library_matches_its_recorded_version_and_hash() -> None:
    readme = (VENDOR / "README.md").read_text()
    library = (VENDOR / "chart.umd.min.js").read_bytes()
    version = re.search(r"\| `chart.umd.min.js` \|[^|]*\| ([0-9.]+) \|", readme).group(1)
    recorded = re.search(r"`([0-9a-f]{64})`", readme).group(1)
    assert hashlib.sha256(library).hexdigest() == recorded
    assert f"Chart.js v{version}".encode() in library[:200]  # the licence header is kept
    assert (VENDOR / "chart.js.LICENSE.md").read_text().startswith("The MIT License")
