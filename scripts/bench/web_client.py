"""Web client benchmark: frame time of the default avatar in headless Chromium (software WebGL) on a
512×512 stage, and the widget's compressed size beyond three.js. Prints a Markdown section.

    .venv/bin/python scripts/bench/web_client.py [--bridge http://127.0.0.1:8765] [--frames 300]

With --bridge it measures the page the bridge serves (the bench runner passes its private bridge);
without, it serves web_client/dist itself (the avatar renders the same; the chat just cannot connect).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.bench.stats import percentile  # noqa: E402 (after the path set-up above)
from tests.support.browser import CHROMIUM_ARGS, chromium_executable  # noqa: E402

DIST = ROOT / "web_client" / "dist"
STAGE = 512
CHAT_COLUMN = 440  # the page's chat column at this width (see web_client/src/styles.css)

COLLECT_FRAMES = """async (count) => {
  const times = [];
  await new Promise((resolve) => {
    let last = null;
    const step = (now) => {
      if (last !== null) times.push(now - last);
      last = now;
      if (times.length < count) requestAnimationFrame(step); else resolve();
    };
    requestAnimationFrame(step);
  });
  return times;
}"""


@contextmanager
def static_server(directory: Path):
    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # the page's WebSocket retries are expected here
            pass

    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def measure_frames(base_url: str, frames: int) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": STAGE + CHAT_COLUMN, "height": STAGE})
            page.goto(f"{base_url}/?lang=en")
            page.wait_for_function("window.__avatarDebug && window.__avatarDebug.avatar().frames > 60", timeout=60_000)
            size = page.locator(".avatar-host").bounding_box()
            if not size or round(size["width"]) != STAGE or round(size["height"]) != STAGE:
                raise RuntimeError(f"the stage is {size}, not {STAGE}×{STAGE}")
            if page.evaluate("window.__avatarDebug.avatar().renderer") != "webgl":
                raise RuntimeError("the avatar did not render with WebGL")
            intervals = page.evaluate(COLLECT_FRAMES, frames)
            costs = page.evaluate("count => window.__avatarDebug.measureFrames(count)", frames)
            return costs, intervals
        finally:
            browser.close()


def bundle_sizes() -> dict[str, float]:
    widget = (DIST / "widget.js").read_bytes()
    report = json.loads((DIST / "bundle-report.json").read_text())
    total_gzip = len(gzip.compress(widget, 9))
    three_gzip = report["three"]["gzip"]
    beyond = sum(report[part]["gzip"] for part in ("three-addons", "three-vrm", "client"))
    return {
        "total_gzip": total_gzip,
        "raw": len(widget),
        "three_gzip": three_gzip,
        "beyond_three_gzip": beyond,
        "groups": report,
    }


def section(frame_times: list[float], intervals: list[float], sizes: dict) -> str:
    median = percentile(frame_times, 0.5)
    p95 = percentile(frame_times, 0.95)
    fps = 1000 / median
    delivered = 1000 / percentile(intervals, 0.5)

    def kib(n: float) -> str:
        return f"{n / 1024:.0f} KiB"

    groups = sizes["groups"]
    lines = [
        "## Web client",
        "",
        (
            "Default (procedural) avatar in headless Chromium with software WebGL (SwiftShader), stage "
            f"{STAGE}×{STAGE} px, idle animation running (`scripts/bench/web_client.py`). Frame time = "
            "animation update + render + waiting for the rasteriser (a 1-pixel read-back), "
            f"{len(frame_times)} frames back to back; requestAnimationFrame is capped at the display rate, "
            "so its rate is given separately."
        ),
        "",
        "| frame time p50 (ms) | p95 (ms) | fps (from p50) | rAF fps delivered | target |",
        "|---|---|---|---|---|",
        f"| {median:.1f} | {p95:.1f} | {fps:.0f} | {delivered:.0f} | ≥ 30 fps: {'met' if fps >= 30 else 'NOT met'} |",
        "",
        "Bundle (`web_client/dist/widget.js`, one self-contained script for the page and the widget):",
        "",
        "| part | gzip |",
        "|---|---|",
        f"| whole widget.js ({kib(sizes['raw'])} raw) | {kib(sizes['total_gzip'])} |",
        f"| three.js core (estimate: its modules compressed alone) | {kib(sizes['three_gzip'])} |",
        (
            f"| **beyond three.js** (the parts below, each compressed alone: an upper bound) "
            f"| **{kib(sizes['beyond_three_gzip'])}** "
            f"(target ≤ 1 MB: {'met' if sizes['beyond_three_gzip'] <= 1024 * 1024 else 'NOT met'}) |"
        ),
        f"| of which: GLTFLoader and helpers | {kib(groups['three-addons']['gzip'])} |",
        f"| of which: @pixiv/three-vrm | {kib(groups['three-vrm']['gzip'])} |",
        f"| of which: our client code | {kib(groups['client']['gzip'])} |",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bridge", help="base URL of a running bridge (default: serve web_client/dist here)")
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args()
    if not (DIST / "widget.js").is_file():
        print("web_client/dist is missing: run `make setup`", file=sys.stderr)
        return 1
    if args.bridge:
        costs, intervals = measure_frames(args.bridge.rstrip("/"), args.frames)
    else:
        with static_server(DIST) as url:
            costs, intervals = measure_frames(url, args.frames)
    print(section(costs, intervals, bundle_sizes()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
