"""The mailroom's scanner: twelve letters drawn at 300 dpi in French, Dutch and German (the
tests' corpus and more), read clean and degraded (noise, a skew of 1 to 3° either way, a
fax-like copy, upside down). Prints the share
of letters whose name, postal code and town were read right (goal: 95% clean, 85% degraded),
the body's character error rate on clean letters (goal: at most 3%), and the time a page
takes beside a bare Tesseract run on the same page in one language (goal: 3 s a page)."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.harness import heading, row
from plaintes_tui.scanning import missing_tools, read_scan
from tests.scan_corpus import ALL_LETTERS, DEGRADATIONS, Letter, draw, skewed, write

KEY_FIELDS = ("last_name", "postal_code", "town")


def _right(letter: Letter, path: Path) -> tuple[bool, float, float]:
    """Whether the key fields were read right, the body's character error rate, the time."""
    start = time.perf_counter()
    reading = read_scan(path).reading
    elapsed = time.perf_counter() - start
    right = all(reading.value(name) == getattr(letter, name) for name in KEY_FIELDS)
    read = " ".join(reading.value("text").split())
    errors = 1 - difflib.SequenceMatcher(None, read, letter.text).ratio()
    return right, errors, elapsed


def _bare(path: Path) -> float:
    binary = shutil.which("tesseract")
    assert binary is not None
    start = time.perf_counter()
    subprocess.run(
        [binary, str(path), "-", "-l", "fra"],
        capture_output=True,
        check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # as the app runs it: one thread
    )
    return time.perf_counter() - start


def _share(label: str, right: int, total: int, goal: float) -> None:
    share = right / total
    verdict = "ok" if share >= goal else f"UNDER GOAL {goal:.0%}"
    print(f"  {label:<58} {right}/{total} = {share:6.1%}  {verdict}", flush=True)


def main() -> None:
    heading("Scanned letters read by OCR (Tesseract)")
    missing = missing_tools()
    if missing:
        print(f"  skipped: install {' '.join(missing)} (make bench does, as root)")
        return
    with tempfile.TemporaryDirectory(prefix="plaintes-bench-scan-") as work:
        folder = Path(work)
        clean, degraded, errors, times, bare = 0, 0, [], [], []
        for number, letter in enumerate(ALL_LETTERS):
            page = draw(letter)
            path = write(page, folder / f"clean-{number}.png")
            right, error, elapsed = _right(letter, path)
            clean += right
            errors.append(error)
            times.append(elapsed)
            bare.append(_bare(path))
            for name, degrade in DEGRADATIONS.items():
                if name == "skewed":  # 1, 2 or 3 degrees, one way or the other
                    worse = skewed(page, (1 + number % 3) * (-1) ** number)
                else:
                    worse = degrade(page)
                path = write(worse, folder / f"{name}-{number}.png")
                right, _, elapsed = _right(letter, path)
                degraded += right
                times.append(elapsed)
    _share("name, postal code and town right, clean letters", clean, len(ALL_LETTERS), 0.95)
    _share(
        "name, postal code and town right, degraded letters",
        degraded,
        len(ALL_LETTERS) * len(DEGRADATIONS),
        0.85,
    )
    worst = max(errors)
    verdict = "ok" if worst <= 0.03 else "OVER LIMIT 3%"
    print(f"  {'body character error rate, clean letters (worst)':<58} {worst:6.2%}  {verdict}")
    baseline = sum(bare) / len(bare)
    row("a bare Tesseract run, one language, a clean page (baseline)", baseline)
    mean = sum(times) / len(times)
    row("a page read: upright, three languages, fields, PDF", mean, baseline)
    print(
        f"  {'a page read, worst (goal: 3 s)':<58} {max(times):8.2f} s  "
        + ("ok" if max(times) <= 3 else "OVER LIMIT 3 s")
    )
