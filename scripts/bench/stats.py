"""Percentiles and Markdown rows shared by the benchmarks."""

from __future__ import annotations

import statistics


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (fraction in 0..1) of a non-empty list."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary(values_ms: list[float]) -> dict[str, float]:
    if not values_ms:
        return {"n": 0, "p50": float("nan"), "p95": float("nan"), "p99": float("nan"), "max": float("nan")}
    return {
        "n": len(values_ms),
        "p50": statistics.median(values_ms),
        "p95": percentile(values_ms, 0.95),
        "p99": percentile(values_ms, 0.99),
        "max": max(values_ms),
    }


def markdown_row(label: str, values_ms: list[float], errors: int = 0) -> str:
    s = summary(values_ms)
    return f"| {label} | {s['n']} | {s['p50']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | {s['max']:.1f} | {errors} |"


TABLE_HEADER = "| run | turns | p50 ms | p95 ms | p99 ms | max ms | errors |\n|---|---|---|---|---|---|---|"
