"""The journal that proves itself: `plaintes verify` at a million cases beside a plain read of
the journal, and a journal row written with its hashes beside one written without."""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime

from bench.harness import best_of, heading, row
from bench.stores import demo_store, scratch
from plaintes_tui.store.database import open_store
from plaintes_tui.store.journal import append_journal
from plaintes_tui.store.verify import verify_store

INSERTS = 5_000
NOW = datetime(2026, 11, 28, 10, 0)


def _inserts() -> tuple[float, float]:
    """``INSERTS`` journal rows of one case, each in its own transaction as an agent's save:
    with the chain's hashes, and as the journal was written before it."""
    store = open_store(scratch("journal.db"), create=True)
    (path, _) = demo_store(1_000)
    with sqlite3.connect(path) as source:
        source.backup(store.connection)
    connection = store.connection

    def chained() -> None:
        for version in range(INSERTS):
            with store.write():
                append_journal(
                    connection, 1, version, at=NOW, agent="amartin", action="note", note="x"
                )

    def plain() -> None:
        for version in range(INSERTS):
            with store.write():
                connection.execute(
                    "INSERT INTO journal (case_id, case_version, at, agent, action, note) "
                    "VALUES (1, ?, ?, 'amartin', 'note', 'x')",
                    (version, NOW.isoformat()),
                )

    with_hashes = best_of(chained, repeat=3)
    without = best_of(plain, repeat=3)
    store.close()
    return with_hashes, without


def main() -> None:
    path, _ = demo_store(1_000_000)
    store = open_store(path)
    heading("Integrity: `plaintes verify` at 1,000,000 cases")
    (rows,) = store.connection.execute("SELECT count(*) FROM journal").fetchone()

    def plain() -> None:
        for _ in store.connection.execute("SELECT * FROM journal"):
            pass

    baseline = best_of(plain, repeat=3)
    row(f"SELECT * FROM journal, every row read ({rows:,} rows, baseline)", baseline)
    start = time.perf_counter()
    result = verify_store(store)
    elapsed = time.perf_counter() - start
    assert result.ok, result.problems
    row("plaintes verify: schema, chain, every case, counters (goal: 3×)", elapsed, baseline, 3)
    store.close()
    with_hashes, without = _inserts()
    heading(f"Integrity: {INSERTS:,} journal rows, one transaction each")
    row("without hashes (the journal before the chain, baseline)", without)
    row("with content, state and chain hashes (goal: 1.2×)", with_hashes, without, 1.2)
