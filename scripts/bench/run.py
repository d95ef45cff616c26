"""`make bench`: starts a private copy of the system, measures it, writes docs/benchmarks.md.

`--only rasa bridge` measures just those parts and replaces their sections in the existing file;
each replaced section starts with a line saying when it was measured and under what load (the
machine section describes the hardware and the last run that rewrote it).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from launcher.process import ServiceSpec
from launcher.services import local_services
from launcher.settings import LauncherSettings
from launcher.system import System
from scripts.bench import machine, rasa_latency

ROOT = Path(__file__).resolve().parents[2]


# Measured parts and the heading their section starts with.
SECTION_HEADINGS = {
    "rasa": "## Turn latency through Rasa's REST channel",
    "bridge": "## Avatar bridge",
    "handoff": "## Handoff service",
    "web_client": "## Web client",
    "speech": "## Speech synthesis",
    "speech_in": "## Speech recognition",
    "speech_turn": "## Speech turn end to end",
    "barge_in": "## Barge-in",
}
# Parts that need no more than Redis and the handoff service running.
HANDOFF_ONLY = {"handoff", "speech"}


def bridge_section(settings: LauncherSettings, sessions: int = 50) -> str:
    """The avatar bridge under N WebSocket sessions, with Rasa's REST channel as the baseline."""
    result = subprocess.run(
        [
            str(ROOT / ".venv/bin/python"),
            str(ROOT / "scripts/bench/bridge_load.py"),
            "--bridge",
            f"ws://127.0.0.1:{settings.bridge_port}/ws/v1",
            "--rasa",
            settings.rasa_url,
            "--sessions",
            str(sessions),
            "--interval",
            "5",
            "--messages",
            "6",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        return f"## Avatar bridge\n\nThe benchmark failed:\n\n```\n{result.stderr[-2000:]}\n```\n"
    return result.stdout.strip() + "\n"


def handoff_section(settings: LauncherSettings, *, with_rasa: bool) -> str:
    """Claim next under a race, the agent console in Chromium and, with Rasa running, escalation →
    agent console latency (scripts/bench/handoff_queue.py)."""
    command = [
        str(ROOT / ".venv/bin/python"),
        str(ROOT / "scripts/bench/handoff_queue.py"),
        "--handoff",
        settings.handoff_url,
        "--redis",
        settings.redis_url,
        "--database",
        f"sqlite:///{settings.var_dir / 'handoff.db'}",
    ]
    if with_rasa:
        command += ["--rasa", settings.rasa_url]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        return f"## Handoff service\n\nThe benchmark failed:\n\n```\n{result.stderr[-2000:]}\n```\n"
    return result.stdout.strip() + "\n"


def services_for(parts: list[str], settings: LauncherSettings) -> list[ServiceSpec]:
    """The services the measured parts need: the handoff part alone needs Redis and the handoff
    service; the others the whole system."""
    specs = []
    for spec in local_services(settings):
        if spec.name == "handoff":
            # The handoff bench's simulated agents each come from an address of their own in
            # X-Forwarded-For, as agents behind nginx do (scripts/bench/handoff_claims.py).
            spec = replace(spec, env={**spec.env, "HANDOFF_TRUSTED_PROXIES": "127.0.0.1"})
        specs.append(spec)
    if set(parts) <= HANDOFF_ONLY:
        return [spec for spec in specs if spec.name in ("redis", "handoff")]
    return specs


def script_section(heading: str, script: str, *args: str, python: str = ".venv/bin/python") -> str:
    """The Markdown section a benchmark script prints, or one saying that it failed."""
    result = subprocess.run(
        [str(ROOT / python), str(ROOT / script), *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        return f"{heading}\n\nThe benchmark failed:\n\n```\n{result.stderr[-2000:]}\n```\n"
    return result.stdout.strip() + "\n"


def web_client_section(settings: LauncherSettings) -> str:
    """Avatar frame time in headless Chromium and the widget's size."""
    return script_section("## Web client", "scripts/bench/web_client.py", "--bridge", settings.bridge_url)


def speech_section() -> str:
    """Piper against espeak-ng through the bridge's speech service; needs no running system."""
    return script_section("## Speech synthesis", "scripts/bench/speech_engines.py")


def speech_in_section() -> str:
    """Whisper through the bridge's recogniser pool; needs no running system."""
    return script_section("## Speech recognition", "scripts/bench/speech_recognition.py")


def speech_turn_section() -> str:
    """End of speech → transcript → bot text cue over the WebSocket; starts its own system (the real
    Rasa, the procedural head), so needs none running."""
    return script_section("## Speech turn end to end", "scripts/bench/speech_turn.py")


def barge_in_section() -> str:
    """Barge-in latency in Chromium; starts its own bridge (FakeRasa), so needs no running system."""
    return script_section("## Barge-in", "scripts/bench/barge_in.py")


def extra_sections() -> list[str]:
    """Sections that other parts of the system print (each script prints Markdown)."""
    sections = []
    if (ROOT / "scripts" / "emotion" / "bench.py").exists():
        sections.append(
            script_section("## Emotion classifier", "scripts/emotion/bench.py", python=".venv-rasa/bin/python")
        )
    return sections


def replace_section(document: str, heading: str, section: str) -> str:
    """`document` with the `## ` section starting with `heading` replaced by `section` (appended
    if there is none)."""
    lines = document.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith(heading)), None)
    if start is None:
        return document.rstrip("\n") + "\n\n" + section
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    rest = "".join(lines[end:])
    return "".join(lines[:start]) + section.rstrip("\n") + ("\n\n" + rest if rest else "\n")


def run_stamp() -> str:
    load = os.getloadavg()
    return f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"


def with_run_stamp(section: str, stamp: str, args: argparse.Namespace) -> str:
    """`section` with a line after its heading: when and under what load it was measured."""
    heading, _, body = section.partition("\n")
    note = f"; {args.note}" if args.note else ""
    line = f"_Measured {stamp} at the start (`scripts/bench/run.py --only {' '.join(args.only)}`){note}._"
    return f"{heading}\n\n{line}\n{body}" if body.startswith("\n") else f"{heading}\n\n{line}\n\n{body}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=sorted(SECTION_HEADINGS),
        help="measure only these parts; replace their sections in the existing output",
    )
    parser.add_argument("--bridge-sessions", type=int, default=50)
    parser.add_argument(
        "--note",
        default="",
        help="about this run (e.g. other load on the machine): in the machine section, "
        "or with --only in each re-measured section",
    )
    args = parser.parse_args()
    if args.only and not args.output.exists():
        parser.error(f"--only updates an existing {args.output}")

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    if (ROOT / "var" / "customer.db").exists():  # absent before `make setup`; the speech parts need none
        shutil.copy(ROOT / "var" / "customer.db", work / "customer.db")
    settings = LauncherSettings.on_free_ports(work)
    parts = args.only or sorted(SECTION_HEADINGS)
    started = run_stamp()
    machine_text = machine.describe(ROOT)
    if args.note:
        machine_text += f"\n- Note: {args.note}"
    machine_section = f"## Machine\n\n{machine_text}\n"
    sections = [f"# Benchmarks\n\nWritten by `make bench`.\n\n{machine_section}"]
    measured = {}
    if "speech" in parts:
        measured["speech"] = speech_section()
    if "speech_in" in parts:
        measured["speech_in"] = speech_in_section()
    if "speech_turn" in parts:
        measured["speech_turn"] = speech_turn_section()
    if "barge_in" in parts:
        measured["barge_in"] = barge_in_section()
    # The speech, speech turn and barge-in sections need no running system (or start their own).
    offline = {"speech", "speech_in", "speech_turn", "barge_in"}
    running = services_for(parts, settings) if set(parts) - offline else []
    system = System(running, work / "log") if running else contextlib.nullcontext()
    with system:
        if "rasa" in parts:
            measured["rasa"] = rasa_latency.measure_section(settings.rasa_url, [1, 20], 2.0, args.duration)
        if "bridge" in parts:
            measured["bridge"] = bridge_section(settings, args.bridge_sessions)
        if "handoff" in parts:
            measured["handoff"] = handoff_section(settings, with_rasa=any(spec.name == "rasa" for spec in running))
        if "web_client" in parts:
            measured["web_client"] = web_client_section(settings)
    if args.only:
        document = args.output.read_text()
        for part, section in measured.items():
            document = replace_section(document, SECTION_HEADINGS[part], with_run_stamp(section, started, args))
        args.output.write_text(document)
        print(f"updated {', '.join(args.only)} in {args.output}")
        shutil.rmtree(work, ignore_errors=True)
        return 0
    sections += [measured["rasa"], measured["bridge"], measured["handoff"], measured["web_client"], measured["speech"]]
    sections += [measured["speech_in"], measured["speech_turn"], measured["barge_in"]]
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
