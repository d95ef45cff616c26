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
import shutil
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.bench.stats import percentile  # noqa: E402 (after the path set-up above)
from tests.support.browser import CHROMIUM_ARGS, chromium_executable  # noqa: E402

DIST = ROOT / "web_client" / "dist"
STAGE = 512
CHAT_COLUMN = 440  # first guess of the chat column and paddings (see web_client/src/styles.css)
STAGE_WIDTH_SHARE = 0.45  # the stage's share of extra viewport width (the page's 45fr / 55fr grid)

AVATARS = ("procedural", "valid-woman")
# Everything runs through page.evaluate of plain expressions: the page's CSP (script-src 'self')
# forbids eval, which Playwright's wait_for_function and string-function evaluation rely on.


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


def _until(page, expression: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {expression}")
        time.sleep(0.02)


def _stage_size(page) -> tuple[float, float]:
    box = page.locator(".avatar-host").bounding_box()
    if not box:
        raise RuntimeError("the page shows no avatar stage")
    return box["width"], box["height"]


def _fit_stage(page) -> None:
    """Resizes the viewport until the avatar stage is STAGE×STAGE px: the page's grid gives the stage
    a share of the width after the chat column and paddings, which may change with the styles."""
    viewport = dict(page.viewport_size)
    for _ in range(8):
        width, height = _stage_size(page)
        if round(width) == STAGE and round(height) == STAGE:
            return
        # The stage grows by about its share (45 %) of the width beyond the chat's minimum.
        viewport["width"] += round((STAGE - width) / STAGE_WIDTH_SHARE) or (1 if width < STAGE else -1)
        viewport["height"] += round(STAGE - height)
        page.set_viewport_size(viewport)
        page.wait_for_timeout(100)
    raise RuntimeError(f"the stage is {_stage_size(page)}, not {STAGE}×{STAGE}")


def _measure_one(browser, base_url: str, avatar: str, frames: int) -> dict:
    page = browser.new_page(viewport={"width": STAGE + CHAT_COLUMN, "height": STAGE})
    try:
        page.goto(f"{base_url}/?lang=en&avatar={avatar}&allow_software_webgl")
        _until(page, "!!(window.__avatarDebug && window.__avatarDebug.avatar().frames > 0)")
        first_frame_ms = page.evaluate("performance.now()")
        kind = "procedural" if avatar == "procedural" else "valid"
        _until(page, f"(a => a.kind === '{kind}' && !a.loading)(window.__avatarDebug.avatar())")
        model_ms = page.evaluate("performance.now()")
        _fit_stage(page)
        snapshot = page.evaluate("window.__avatarDebug.avatar()")
        if snapshot["renderer"] != "webgl":
            raise RuntimeError("the avatar did not render with WebGL")
        _until(
            page, f"window.__avatarDebug.avatar().frames > {page.evaluate('window.__avatarDebug.avatar().frames') + 30}"
        )
        intervals = page.evaluate("window.__avatarTest.rafIntervals(3000)")
        costs = page.evaluate(f"window.__avatarDebug.measureFrames({int(frames)})")
        return {
            "costs": costs,
            "intervals": intervals,
            "first_frame_ms": first_frame_ms,
            "model_ms": model_ms,
            "quality": snapshot.get("quality", "full"),
        }
    finally:
        page.close()


def measure_frames(base_url: str, frames: int) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS, headless=True)
        try:
            return {avatar: _measure_one(browser, base_url, avatar, frames) for avatar in AVATARS}
        finally:
            browser.close()


def served_copy(directory: Path) -> Path:
    """web_client/dist plus the bridge's /avatar.json (test hooks on), for a run without a bridge."""
    from avatar_bridge.avatars.catalogue import Catalogue

    shutil.copytree(DIST, directory, dirs_exist_ok=True)
    config = Catalogue.load(directory / "avatars").page_config("valid-woman", test_hooks=True)
    (directory / "avatar.json").write_text(json.dumps(config))
    return directory


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
        "avatar_bytes": (DIST / "avatars" / "White_F_1_Busi.glb").stat().st_size,
    }


def section(measured: dict[str, dict], sizes: dict) -> str:
    def kib(n: float) -> str:
        return f"{n / 1024:.0f} KiB"

    groups = sizes["groups"]
    rows = []
    for avatar, result in measured.items():
        median = percentile(result["costs"], 0.5)
        p95 = percentile(result["costs"], 0.95)
        fps = 1000 / median
        delivered = 1000 / percentile(result["intervals"], 0.5)
        label = avatar if avatar == "procedural" else f"{avatar} ({result['quality']} profile)"
        rows.append(
            f"| {label} | {median:.1f} | {p95:.1f} | {fps:.0f} | {delivered:.0f} | "
            f"{result['first_frame_ms']:.0f} | {result['model_ms']:.0f} | "
            f"{'met' if fps >= 24 else 'NOT met'} |"
        )
    glb = sizes["avatar_bytes"]
    first_paint = sizes["raw"]
    lines = [
        "## Web client",
        "",
        (
            "Headless Chromium with software WebGL (SwiftShader), stage "
            f"{STAGE}×{STAGE} px, idle animation running (`scripts/bench/web_client.py`), the procedural head "
            "and the realistic default (VALID woman) in the quality the page picks: under software WebGL "
            "its software profile (web_client/src/avatar/loaders/softwareProfile.js: no MSAA, only the "
            "visible part of the body, only the driven morph targets, rigid parts unskinned, lit per "
            "vertex), on a GPU the full model. Frame time = "
            "animation update + render + waiting for the rasteriser (a 1-pixel read-back), "
            f"{len(next(iter(measured.values()))['costs'])} frames back to back; requestAnimationFrame is "
            "capped at the display rate, so its rate is given separately. First frame (the page is "
            "interactive: the procedural head is the placeholder the model replaces) and model shown: ms "
            "after navigation start. Measured "
            "through page.evaluate and the page's own hooks, which the page's CSP allows."
        ),
        "",
        "| avatar | frame time p50 (ms) | p95 (ms) | fps (from p50) | rAF fps delivered | first frame (ms) "
        "| model shown (ms) | target ≥ 24 fps |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        (
            f"Download: first paint needs the page and `widget.js` ({kib(first_paint)} raw, "
            f"{kib(sizes['total_gzip'])} gzip; target ≤ 4 MB: "
            f"{'met' if first_paint <= 4 * 1024 * 1024 else 'NOT met'}); "
            f"the realistic avatar ({kib(glb)}, meshopt-compressed GLB) loads behind the placeholder."
        ),
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
        f"| of which: GLTFLoader, meshopt decoder and helpers | {kib(groups['three-addons']['gzip'])} |",
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
        measured = measure_frames(args.bridge.rstrip("/"), args.frames)
    else:
        with tempfile.TemporaryDirectory() as directory, static_server(served_copy(Path(directory))) as url:
            measured = measure_frames(url, args.frames)
    print(section(measured, bundle_sizes()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
