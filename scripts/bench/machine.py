"""A short description of the machine a benchmark ran on."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import datetime, timezone
from pathlib import Path


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def os_name() -> str:
    release = Path("/etc/os-release")
    if release.exists():
        for line in release.read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    return platform.platform()


def describe(root: Path) -> str:
    rasa_python = subprocess.run(
        [str(root / ".venv-rasa/bin/python"), "--version"], capture_output=True, text=True
    ).stdout.strip()
    load = os.getloadavg()
    return "\n".join(
        [
            f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
            f"- CPU: {cpu_model()}, {os.cpu_count()} cores; memory {memory_gib():.1f} GiB; no GPU",
            f"- OS: {os_name()}, kernel {platform.release()}",
            f"- Python: services {platform.python_version()}, Rasa {rasa_python.replace('Python ', '')}",
            f"- Load average when the run started: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
            "(a shared machine: compare rows of the same run, not across runs)",
        ]
    )
