"""`make bench`: starts a private copy of the system, measures it, writes docs/benchmarks.md."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from launcher.process import free_port
from launcher.services import local_services
from launcher.settings import LauncherSettings
from launcher.system import System
from scripts.bench import machine, rasa_latency

ROOT = Path(__file__).resolve().parents[2]


def bridge_section(settings: LauncherSettings) -> str:
    """The avatar bridge under 50 WebSocket sessions, with Rasa's REST channel as the baseline."""
    result = subprocess.run(
        [str(ROOT / ".venv/bin/python"), str(ROOT / "scripts/bench/bridge_load.py"),
         "--bridge", f"ws://127.0.0.1:{settings.bridge_port}/ws/v1", "--rasa", settings.rasa_url,
         "--sessions", "50", "--interval", "5", "--messages", "6"],
        cwd=ROOT, capture_output=True, text=True,
    )
    if result.returncode != 0:
        return f"## Avatar bridge\n\nThe benchmark failed:\n\n```\n{result.stderr[-2000:]}\n```\n"
    return result.stdout.strip() + "\n"


def extra_sections() -> list[str]:
    """Sections that other parts of the system print (each script prints Markdown)."""
    sections = []
    emotion_bench = ROOT / "scripts" / "emotion" / "bench.py"
    if emotion_bench.exists():
        result = subprocess.run([str(ROOT / ".venv-rasa/bin/python"), str(emotion_bench)],
                                cwd=ROOT, capture_output=True, text=True)
        if result.returncode == 0:
            sections.append(result.stdout.strip() + "\n")
        else:
            sections.append(f"## Emotion classifier\n\nThe benchmark failed:\n\n```\n{result.stderr[-2000:]}\n```\n")
    return sections


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    shutil.copy(ROOT / "var" / "customer.db", work / "customer.db")
    settings = LauncherSettings.from_env(
        redis_port=free_port(), rasa_port=free_port(), action_server_port=free_port(),
        var_dir=work, customer_db_url=f"sqlite:///{work / 'customer.db'}",
    )
    sections = [f"# Benchmarks\n\nWritten by `make bench`.\n\n## Machine\n\n{machine.describe(ROOT)}\n"]
    with System(local_services(settings), work / "log"):
        sections.append(rasa_latency.measure_section(settings.rasa_url, [1, 20], 2.0, args.duration))
        sections.append(bridge_section(settings))
    sections += extra_sections()
    setup_report = ROOT / "docs" / "setup-time.md"
    if setup_report.exists():
        sections.append(setup_report.read_text())
    args.output.write_text("\n".join(sections))
    print(f"wrote {args.output}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
