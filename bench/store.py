"""The case store at a million cases: demo generation, and the queue's first page."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bench.harness import best_of, heading, row
from bench.stores import TODAY, demo_store, scratch
from plaintes_tui.store.database import open_store
from plaintes_tui.store.queue import QueueFilter, queue_counts, queue_window

BIG = 1_000_000
SMALL = 1_000


def plain_executemany(path: Path, count: int) -> float:
    """The floor: sqlite3 executemany of ``count`` rows as wide as a case, no index, no FTS."""
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (" + ", ".join(f"c{i} TEXT" for i in range(29)) + ")")
    text = "J'ai envoyé un courrier le mois passé et je n'ai reçu aucune réponse. " * 3
    values = ("P-2026-00001", "2026-11-28", "phone", text, *(["2026-12-05"] * 25))
    start = time.perf_counter()
    with connection:
        connection.executemany(
            f"INSERT INTO t VALUES ({', '.join('?' * 29)})", (values for _ in range(count))
        )
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def first_page(path: Path) -> float:
    store = open_store(path, create=True)
    flt = QueueFilter()
    elapsed = best_of(lambda: queue_window(store, flt, TODAY, 0, 50), repeat=20)
    store.close()
    return elapsed


def header_counts(path: Path) -> float:
    store = open_store(path, create=True)
    elapsed = best_of(lambda: queue_counts(store, TODAY), repeat=5)
    store.close()
    return elapsed


def main() -> None:
    heading(f"Store: demo generation and the queue at {SMALL:,} and {BIG:,} cases")
    floor = plain_executemany(scratch("plain.db"), BIG)
    row(f"plain sqlite3 executemany, {BIG:,} rows of a case's width (baseline)", floor)
    small, small_time = demo_store(SMALL)
    row(f"plaintes demo --cases {SMALL:,}", small_time)
    big, big_time = demo_store(BIG)
    row(f"plaintes demo --cases {BIG:,} (journal, index; goal 5×)", big_time, floor, limit=5)
    small_page, big_page = first_page(small), first_page(big)
    row(f"queue --limit 50 at {SMALL:,} cases (baseline)", small_page)
    row(f"queue --limit 50 at {BIG:,} cases", big_page, small_page, limit=1.5)
    small_counts, big_counts = header_counts(small), header_counts(big)
    row(f"queue header counts at {SMALL:,} cases (baseline)", small_counts)
    row(f"queue header counts at {BIG:,} cases", big_counts, small_counts)
