"""Memory and CPU per kind of process during the soak test, read from /proc (Linux only).

Each service runs in its own process group (launcher/process.py starts it with a new session), so
a service's figures are the sum over its group: the bridge's speech workers and nginx's worker
count with their parent. RSS is summed per process, so pages shared after a fork count twice
(an upper bound). CPU is utime + stime (+ the times of children that already exited)."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def kind_of(name: str) -> str:
    """`rasa-2` -> `rasa`, `avatar-bridge-1` -> `avatar-bridge`, `redis` -> `redis`."""
    return re.sub(r"-\d+$", "", name)


@dataclass(frozen=True)
class GroupSample:
    rss_kib: int
    cpu_s: float


def _stat_fields(pid: str) -> list[str] | None:
    try:
        text = (PROC / pid / "stat").read_text()
    except OSError:
        return None
    # The command name may contain spaces and parentheses: fields start after the last ')'.
    return text[text.rindex(")") + 2 :].split()


def _rss_kib(pid: str) -> int:
    try:
        for line in (PROC / pid / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0  # kernel threads and processes that just exited have none


def sample_groups(group_ids: set[int]) -> dict[int, GroupSample]:
    """RSS and CPU seconds of every process group in `group_ids`, from one pass over /proc."""
    rss: dict[int, int] = defaultdict(int)
    ticks: dict[int, int] = defaultdict(int)
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(entry.name)
        if fields is None:
            continue
        # fields[0] is field 3 of proc(5): state; pgrp is field 5, utime..cstime fields 14..17.
        group = int(fields[2])
        if group not in group_ids:
            continue
        ticks[group] += sum(int(value) for value in fields[11:15])
        rss[group] += _rss_kib(entry.name)
    return {group: GroupSample(rss[group], ticks[group] / CLOCK_TICKS) for group in group_ids if group in ticks}


@dataclass
class KindFigures:
    instances: int = 0
    cpu_s: float = 0.0
    peak_rss_kib: int = 0  # the largest sum over the kind's instances at one sample
    peak_instance_rss_kib: int = 0


@dataclass
class SizingSampler:
    """Samples the given services (name -> process group id) and keeps per-kind figures."""

    groups: dict[str, int]
    first: dict[int, GroupSample] = field(default_factory=dict)
    last: dict[int, GroupSample] = field(default_factory=dict)
    peak_kind_rss: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    peak_instance_rss: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def sample(self) -> None:
        current = sample_groups(set(self.groups.values()))
        if not self.first:
            self.first = current
        self.last = current
        per_kind: dict[str, int] = defaultdict(int)
        for name, group in self.groups.items():
            if group in current:
                kind = kind_of(name)
                per_kind[kind] += current[group].rss_kib
                self.peak_instance_rss[kind] = max(self.peak_instance_rss[kind], current[group].rss_kib)
        for kind, rss in per_kind.items():
            self.peak_kind_rss[kind] = max(self.peak_kind_rss[kind], rss)

    def figures(self) -> dict[str, KindFigures]:
        """CPU seconds between the first and the last sample, peak RSS, per kind."""
        result: dict[str, KindFigures] = {}
        for name, group in self.groups.items():
            figures = result.setdefault(kind_of(name), KindFigures())
            figures.instances += 1
            if group in self.first and group in self.last:
                figures.cpu_s += max(0.0, self.last[group].cpu_s - self.first[group].cpu_s)
        for kind, figures in result.items():
            figures.peak_rss_kib = self.peak_kind_rss.get(kind, 0)
            figures.peak_instance_rss_kib = self.peak_instance_rss.get(kind, 0)
        return result
