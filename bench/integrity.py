"""The journal that proves itself: `plaintes verify` at a million cases beside a plain read of
the journal, and a journal row written with its hashes beside one written without."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime
from typing import Any
from unittest.mock import patch

from bench.harness import best_of, best_of_each, heading, row
from bench.stores import demo_store, scratch
from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.domain.workflow import Move
from plaintes_tui.store.cases import get_case
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.journal import STATE_RETURNED, append_journal
from plaintes_tui.store.verify import verify_store
from plaintes_tui.store.workflow import perform

INSERTS = 5_000
NOW = datetime(2026, 11, 28, 10, 0)
CALCULATOR = DeadlineCalculator()


def _copy_of_demo(name: str) -> Store:
    store = open_store(scratch(name), create=True)
    (path, _) = demo_store(1_000)
    with sqlite3.connect(path) as source:
        source.backup(store.connection)
    return store


def _plain_journal(
    connection: sqlite3.Connection, case_id: int, case_version: int, **row: Any
) -> None:
    """The journal row as written before the chain: no digest, no link."""
    connection.execute(
        "INSERT INTO journal (case_id, case_version, at, agent, action, changes, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            case_id,
            case_version,
            row["at"].isoformat(timespec="seconds"),
            row["agent"],
            row["action"],
            json.dumps({k: [str(a), str(b)] for k, (a, b) in (row.get("changes") or {}).items()}),
            row.get("note", ""),
        ),
    )


def _plain_journals(
    connection: sqlite3.Connection, entries: list[tuple[int, int, Any, Any]], **row: Any
) -> None:
    """The journal rows of a move of several cases, as written before the chain."""
    for case_id, case_version, changes, _ in entries:
        _plain_journal(connection, case_id, case_version, changes=changes, **row)


def _inserts() -> tuple[float, float]:
    """``INSERTS`` journal rows of one case, each in its own transaction, the case's state
    given as the writer's UPDATE … RETURNING gives it: with the chain's digests and link, and
    as the
    journal was written before it: each in its own copy of the store (rows written without
    hashes would be sealed by the next chained row), in turn."""
    store, unchained = _copy_of_demo("journal.db"), _copy_of_demo("unchained.db")
    connection = store.connection
    (state,) = connection.execute(f"SELECT {STATE_RETURNED} FROM cases WHERE id = 1").fetchone()

    def chained() -> None:
        for version in range(INSERTS):
            with store.write():
                append_journal(
                    connection,
                    1,
                    version,
                    at=NOW,
                    agent="amartin",
                    action="note",
                    note="x",
                    state=state,
                )

    def plain() -> None:
        for version in range(INSERTS):
            with unchained.write():
                _plain_journal(
                    unchained.connection,
                    1,
                    version,
                    at=NOW,
                    agent="amartin",
                    action="note",
                    note="x",
                )

    with_hashes, without = best_of_each(chained, plain, repeat=9)  # a few microseconds apart
    store.close()
    unchained.close()
    return with_hashes, without


def _saves() -> tuple[float, float]:
    """``INSERTS // 5`` notes through the door (``perform``: the rule, the version check, the
    case's update and its triggers, the journal): with the chain, and with the journal written
    as before it; each in its own copy of the store (a chained save would seal the rows
    written without hashes), in turn."""
    chained_store, plain_store = _copy_of_demo("saves.db"), _copy_of_demo("plain-saves.db")
    actor = Actor("amartin")

    def notes(store: Store) -> None:
        for _ in range(INSERTS // 5):
            case = get_case(store, 1)
            perform(
                store,
                case["id"],
                case["version"],
                Move.NOTE,
                {"text": "x"},
                actor=actor,
                now=NOW,
                calculator=CALCULATOR,
            )

    def plain() -> None:
        with patch("plaintes_tui.store.case_writer.append_journals", _plain_journals):
            notes(plain_store)

    chained, unchained = best_of_each(lambda: notes(chained_store), plain)
    chained_store.close()
    plain_store.close()
    return chained, unchained


def main() -> None:
    path, _ = demo_store(1_000_000)
    store = open_store(path)
    heading("Integrity: `plaintes verify` at 1,000,000 cases")
    (rows,) = store.connection.execute("SELECT count(*) FROM journal").fetchone()

    def read_all() -> None:
        for _ in store.connection.execute("SELECT * FROM journal"):
            pass

    baseline = best_of(read_all, repeat=3)
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
    chained, plain = _saves()
    heading(f"Integrity: {INSERTS // 5:,} notes saved through the one door")
    row("journal written as before the chain (baseline)", plain)
    row("journal chained (what an agent's save costs now)", chained, plain, 1.2)
