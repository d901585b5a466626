"""`plaintes retention --apply` on a million-case store, beside a VACUUM of the same store.

VACUUM is the other way to leave no trace of removed text in the file (it rewrites the whole
store); retention instead zeroes freed space as it writes (secure_delete) and merges the
full-text index, which it must do in any case.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import datetime
from datetime import time as clock

from bench.harness import heading, row
from bench.stores import TODAY, demo_store, scratch
from plaintes_tui.domain.access import Actor, Role
from plaintes_tui.store.database import open_store
from plaintes_tui.store.retention import apply, plan

CASES = 1_000_000
YEARS = 1  # the demo spans about two years: a one-year period anonymises a large share of it
NOW = datetime.combine(TODAY, clock(10, 0))
COORDINATOR = Actor("bench", Role.COORDINATOR)


def main() -> None:
    source, _ = demo_store(CASES)
    heading(f"Retention at {CASES:,} cases (a period of {YEARS} year, on {TODAY})")
    copy = scratch("retention.db")
    shutil.copyfile(source, copy)

    connection = sqlite3.connect(copy)
    start = time.perf_counter()
    connection.execute("VACUUM")
    vacuum = time.perf_counter() - start
    connection.close()
    row("VACUUM of the whole store (baseline)", vacuum)

    store = open_store(copy)
    start = time.perf_counter()
    planned = plan(store, today=TODAY, now=NOW, years=YEARS, draft_days=30)
    label = f"retention --dry-run ({planned.persons:,} persons, {planned.cases:,} cases)"
    row(label, time.perf_counter() - start, vacuum)
    start = time.perf_counter()
    done = apply(store, today=TODAY, now=NOW, years=YEARS, draft_days=30, actor=COORDINATOR)
    label = f"retention --apply ({done.persons:,} persons, {done.cases:,} cases; goal 3×)"
    row(label, time.perf_counter() - start, vacuum, limit=3)
    start = time.perf_counter()
    again = apply(store, today=TODAY, now=NOW, years=YEARS, draft_days=30, actor=COORDINATOR)
    row(
        f"retention --apply again ({again.persons} persons left)",
        time.perf_counter() - start,
        vacuum,
    )
    store.close()
