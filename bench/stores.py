"""Demo stores shared by the benchmarks of one run, built once each in a temporary folder."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.store.database import open_store
from plaintes_tui.store.demo import generate_demo

TODAY = date(2026, 11, 28)
_FOLDER = Path(tempfile.mkdtemp(prefix="plaintes-bench-"))
atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)
_BUILT: dict[int, tuple[Path, float]] = {}


def demo_store(cases: int) -> tuple[Path, float]:
    """The path of a demo store of ``cases`` cases, and how long building it took."""
    if cases not in _BUILT:
        path = _FOLDER / f"demo-{cases}.db"
        store = open_store(path, create=True)
        start = time.perf_counter()
        generate_demo(store, cases=cases, seed=1, today=TODAY, calculator=DeadlineCalculator())
        _BUILT[cases] = (path, time.perf_counter() - start)
        store.close()
    return _BUILT[cases]


def scratch(name: str) -> Path:
    return _FOLDER / name
