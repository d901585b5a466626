"""`plaintes verify`: does the store say only what the program wrote?

Four checks, each problem one sentence:

1. the schema: every table, index and trigger the program ships is there, as shipped, and no
   other (a dropped append-only trigger is how a history gets rewritten);
2. the journal's chain (``store/journal.py``): each row's content and links;
3. each case as its last journal row says it was left;
4. the reference counters, never behind a reference in use (or the next case could not be
   saved).

The heads recorded earlier (``backup`` writes one a night) must still be in the chain: a history
rewritten from some row on, hashes recomputed, is caught against them.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from plaintes_tui.i18n import tr
from plaintes_tui.store.database import Store, connect, migrate
from plaintes_tui.store.housekeeping import recalled, remember_now
from plaintes_tui.store.improvements import unproven_improvements
from plaintes_tui.store.journal import (
    CONTENT_SQL,
    ENCODING,
    ERRORS,
    GENESIS,
    LINK_SQL,
    digest,
    state_sql,
)
from plaintes_tui.store.ombudsman import unjournaled_requests
from plaintes_tui.store.schema import SCHEMA_VERSION

# More problems than this are counted, not each told.
MOST_TOLD = 20
# The page cache of a checking connection: a case's complainant is read at random.
CACHE_KIB = 256 * 1024
_RESULT = "verification"


@dataclass
class Verification:
    rows: int = 0
    head: tuple[int, str] = (0, GENESIS)
    cases: int = 0
    problems: list[str] = field(default_factory=list)
    untold: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, text: str) -> None:
        if len(self.problems) < MOST_TOLD:
            self.problems.append(text)
        else:
            self.untold += 1


def _normalised(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


def _schema(connection: sqlite3.Connection) -> dict[tuple[str, str], str]:
    return {
        (kind, name): _normalised(sql)
        for kind, name, sql in connection.execute(
            "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'"
        )
    }


def shipped_schema() -> dict[tuple[str, str], str]:
    """The schema a new store has: what every store must have."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as connection:
        migrate(connection)
        return _schema(connection)


# The tables Litestream (``plaintes replicate``) keeps in the store it replicates, as it makes
# them: expected beside the program's, and nothing else.
LITESTREAM_TABLES = {
    (
        "table",
        "_litestream_seq",
    ): "CREATE TABLE _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER)",
    ("table", "_litestream_lock"): "CREATE TABLE _litestream_lock (id INTEGER)",
}


def _check_schema(connection: sqlite3.Connection, result: Verification) -> None:
    (version,) = connection.execute("PRAGMA user_version").fetchone()
    if version != SCHEMA_VERSION:
        result.problem(tr("verify.version", version=version, expected=SCHEMA_VERSION))
    found, shipped = _schema(connection), shipped_schema()
    for (kind, name), sql in shipped.items():
        kind_word = tr(f"verify.kind.{kind}")
        if (kind, name) not in found:
            result.problem(tr("verify.missing", kind=kind_word, name=name))
        elif found[kind, name] != sql:
            result.problem(tr("verify.changed", kind=kind_word, name=name))
    for kind, name in found.keys() - shipped.keys():
        if LITESTREAM_TABLES.get((kind, name)) == found[kind, name]:
            continue
        result.problem(tr("verify.unknown", kind=tr(f"verify.kind.{kind}"), name=name))


class _Found:
    """What one part of the chain or case checks found: problems as catalogue keys and values,
    put into words by the caller (a worker process does not know the reader's language)."""

    def __init__(self) -> None:
        self.count = 0
        self.problems: list[tuple[str, dict[str, object]]] = []
        self.untold = 0

    def problem(self, key: str, **values: object) -> None:
        if len(self.problems) < MOST_TOLD:
            self.problems.append((key, values))
        else:
            self.untold += 1


def _check_chain(connection: sqlite3.Connection, first: int, last: int) -> _Found:
    """Rows ``first`` to ``last``: each row's content against its digest, and its link to the
    row before; the texts digested are built by SQLite itself (``journal.py`` builds the same
    when it writes)."""
    found = _Found()
    before = connection.execute(
        "SELECT hash FROM journal WHERE id < ? AND hash IS NOT NULL ORDER BY id DESC LIMIT 1",
        (first,),
    ).fetchone()
    previous = (GENESIS if before is None else str(before[0])).encode(ENCODING)
    # The texts come as the bytes SQLite holds (a cast to BLOB): what the writer digested,
    # without decoding them into text and encoding them back (a sixth of the loop's time).
    rows = connection.execute(
        f"SELECT id, redacted IS NULL, CAST({CONTENT_SQL} AS BLOB), note <> '', content_hash, "
        f"hash, CAST(',' || {LINK_SQL} AS BLOB) FROM journal WHERE id BETWEEN ? AND ? "
        "ORDER BY id",
        (first, last),
    )
    sha256 = hashlib.sha256  # a million rows: each name looked up once
    for row_id, whole, content_text, noted, content, kept, link_text in rows:
        found.count += 1
        if kept is None:
            found.problem("verify.unsealed", row=row_id)
            continue
        if whole:
            if sha256(content_text).hexdigest() != content:
                found.problem("verify.content", row=row_id)
        elif noted:
            found.problem("verify.content", row=row_id)
        if sha256(previous + link_text).hexdigest() != kept:
            found.problem("verify.link", row=row_id)
        previous = kept.encode(ENCODING, ERRORS)
    return found


def _check_cases(connection: sqlite3.Connection, first: int, last: int) -> _Found:
    """Cases ``first`` to ``last``, each against the state its last journal row recorded."""
    found = _Found()
    rows = connection.execute(
        f"SELECT c.reference, {state_sql('c', 'p')}, "
        "(SELECT state FROM journal WHERE id = (SELECT max(id) FROM journal WHERE case_id = c.id)) "
        "FROM cases AS c LEFT JOIN complainants AS p ON p.id = c.complainant_id "
        "WHERE c.id BETWEEN ? AND ?",
        (first, last),
    )
    for reference, state_text, journaled in rows:
        found.count += 1
        if journaled is None or digest(state_text) != journaled:
            found.problem("verify.case", reference=reference)
    return found


def _check_redacted(connection: sqlite3.Connection, result: Verification) -> None:
    (redacted,) = connection.execute(
        "SELECT count(*) FROM journal JOIN cases ON cases.id = journal.case_id "
        "WHERE journal.redacted IS NOT NULL AND cases.anonymised_at IS NULL"
    ).fetchone()
    if redacted:
        result.problem(tr("verify.redacted", rows=redacted))


def _check_counters(connection: sqlite3.Connection, result: Verification) -> None:
    rows = connection.execute(
        "SELECT used.year, used.last, reference_counters.last_number FROM ("
        "  SELECT CAST(substr(reference, 3, 4) AS INTEGER) AS year, "
        "         max(CAST(substr(reference, 8) AS INTEGER)) AS last "
        "  FROM cases GROUP BY 1) AS used "
        "LEFT JOIN reference_counters ON reference_counters.year = used.year "
        "WHERE reference_counters.last_number IS NULL "
        "   OR reference_counters.last_number < used.last"
    )
    for year, last, counter in rows:
        result.problem(tr("verify.counter", year=year, last=last, counter=counter or 0))


def _check_heads(
    connection: sqlite3.Connection, heads: Iterable[tuple[int, str]], result: Verification
) -> None:
    for row_id, expected in heads:
        found = connection.execute("SELECT hash FROM journal WHERE id = ?", (row_id,)).fetchone()
        if found is None or found[0] != expected:
            result.problem(tr("verify.head", row=row_id, hash=expected[:16]))


# The chain and the cases are checked in parts, by several processes when the journal has at
# least this many rows (below, starting them costs more than it saves).
PARALLEL_FROM = 300_000
_CHECKS = {"chain": _check_chain, "cases": _check_cases}


def _ranges(low: int, high: int, parts: int) -> list[tuple[int, int]]:
    """``low``..``high`` in ``parts`` consecutive ranges (fewer when there are fewer ids)."""
    size = max(1, -(-(high - low + 1) // parts))
    return [(start, min(start + size - 1, high)) for start in range(low, high + 1, size)]


def _part(path: Path, check: str, first: int, last: int) -> _Found:
    """One part, in a worker process: its own read-only connection, its own snapshot (rows up
    to ``last`` never change; a case and its journal are written in one transaction)."""
    with closing(connect(path, read_only=True)) as connection:
        connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        connection.execute("BEGIN")
        return _CHECKS[check](connection, first, last)


def _workers() -> int:
    return min(len(os.sched_getaffinity(0)), 4)


def _parts(
    store: Store, plan: list[tuple[str, int, int]], workers: int
) -> Iterator[tuple[str, _Found]]:
    """Each part of ``plan`` checked, in the plan's order."""
    if workers > 1:
        import multiprocessing  # loaded when a verification runs, not with the app
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")  # no connection crosses a fork
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = [(check, pool.submit(_part, store.path, check, a, b)) for check, a, b in plan]
            for check, future in futures:
                yield check, future.result()
        return
    for check, first, last in plan:
        yield check, _CHECKS[check](store.connection, first, last)


def verify_store(
    store: Store,
    *,
    heads: Iterable[tuple[int, str]] = (),
    workers: int | None = None,
    parallel_from: int = PARALLEL_FROM,
) -> Verification:
    """Every check, read in one transaction (agents go on writing meanwhile); a large journal
    is checked by ``workers`` processes (one per processor, at most four, by default)."""
    result = Verification()
    connection = store.connection
    connection.execute("BEGIN")
    try:
        _check_schema(connection, result)
        rows, cases = connection.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM journal), "
            "(SELECT coalesce(max(id), 0) FROM cases)"
        ).fetchone()
        sealed = connection.execute(
            "SELECT id, hash FROM journal WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if sealed is not None:
            result.head = (int(sealed[0]), str(sealed[1]))
        count = workers or _workers()
        if rows < parallel_from:
            count = 1
        plan = [("chain", *part) for part in _ranges(1, rows, 2 * count) if rows] + [
            ("cases", *part) for part in _ranges(1, cases, 2 * count) if cases
        ]
        for check, found in _parts(store, plan, count):
            if check == "chain":
                result.rows += found.count
            else:
                result.cases += found.count
            for key, values in found.problems:
                result.problem(tr(key, **values))
            result.untold += found.untold
        _check_redacted(connection, result)
        _check_counters(connection, result)
        for reference in unproven_improvements(connection):
            result.problem(tr("verify.improvement", reference=reference))
        for reference, number in unjournaled_requests(connection):
            result.problem(tr("verify.ombudsman_request", reference=reference, number=number))
        _check_heads(connection, heads, result)
    finally:
        connection.execute("COMMIT")
    return result


def remember(store: Store, result: Verification, at: str) -> None:
    """Keep the outcome, for the coordinators' screens to warn at start."""
    value = "ok" if result.ok else f"failed {len(result.problems) + result.untold} {at}"
    remember_now(store, _RESULT, value)


def last_failure(store: Store) -> tuple[int, str] | None:
    """How many problems the last verification found, and when; None when it passed (or
    never ran)."""
    value = recalled(store.connection, _RESULT)
    if value is None or not value.startswith("failed "):
        return None
    _, count, at = value.split(" ", 2)
    return int(count), at


HEADS = "journal-heads.log"


def recorded_heads(folder: Path) -> list[tuple[int, str]]:
    """The chain heads logged by earlier backups in ``folder`` (lines "when id hash")."""
    path = folder / HEADS
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, NotADirectoryError):
        return []
    heads = []
    for line in lines:
        parts = line.split()
        if len(parts) == 3 and parts[1].isdigit() and re.fullmatch(r"[0-9a-f]{64}", parts[2]):
            heads.append((int(parts[1]), parts[2]))
    return heads


def record_head(folder: Path, head: tuple[int, str], at: str) -> None:
    with (folder / HEADS).open("a", encoding="utf-8") as file:
        file.write(f"{at} {head[0]} {head[1]}\n")
