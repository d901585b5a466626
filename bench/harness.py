"""Timing helpers: best of a few runs, printed beside a baseline measured in the same run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs, in seconds: the least disturbed by a noisy machine."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - start)
    return min(timings)


def best_of_each(
    first: Callable[[], Any], second: Callable[[], Any], repeat: int = 5
) -> tuple[float, float]:
    """The fastest run of each of two, their runs taken in turn (first, second, first…): a
    machine busy for a while slows both alike, not whichever happened to run then."""
    timings: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, kept in ((first, timings[0]), (second, timings[1])):
            start = time.perf_counter()
            fn()
            kept.append(time.perf_counter() - start)
    return min(timings[0]), min(timings[1])


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values)


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:8.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:8.1f} ms"
    return f"{seconds:8.2f} s "


def heading(title: str) -> None:
    print(f"\n## {title}")


def row(
    label: str, seconds: float, baseline: float | None = None, limit: float | None = None
) -> None:
    """One figure; with a baseline, the ratio figure / baseline and whether it is within limit."""
    text = f"  {label:<58} {fmt(seconds)}"
    if baseline is not None and baseline > 0:
        ratio = seconds / baseline
        text += f"   ratio {ratio:6.2f}"
        if limit is not None:
            text += "  ok" if ratio <= limit else f"  OVER LIMIT {limit}"
    print(text, flush=True)
