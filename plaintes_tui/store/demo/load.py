"""Loading the demo data into the store, in one transaction.

Complainants, then cases, are drawn as numbers and written as text by SQLite (``expand``),
each case with the journal of its moves (``history``), digested then chained in
(``journal_bulk``). For big loads a second process draws the cases and digests their journal
rows into chunk files while this one draws the complainants into a file that process reads,
then copies each chunk in as it is ready, chains its journal and indexes it; otherwise this
process does it all, batch by batch. The tables' indexes are built once at the end.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.i18n import tr
from plaintes_tui.store import figures
from plaintes_tui.store.database import Store
from plaintes_tui.store.demo.draws import (
    BATCH,
    Plan,
    cases_batch,
    make_plan,
    people_batch,
    set_plan,
)
from plaintes_tui.store.demo.expand import load_cases, load_people, staging
from plaintes_tui.store.demo.history import journal_rows, moves_table
from plaintes_tui.store.demo.vocabulary import DEMO_NOTE
from plaintes_tui.store.demo.worker import STAGED, Chunk, Drawing, drawing_process
from plaintes_tui.store.journal_bulk import STAGING_TABLE, chaining, digest_rows, digesting

# From this many cases on, a second process draws and writes the cases.
WORKER_FROM = 100_000
# Chunk files the second process fills: enough for the copies to follow it closely, and fewer
# than the ten databases SQLite attaches.
CHUNKS = 8
# The full-text index keeps this much in memory before writing a segment (default 1 MiB).
_FTS_HASH_SIZE = 256 * 1024 * 1024
_FTS_DEFAULT_HASH_SIZE = 1024 * 1024


@dataclass(frozen=True)
class DemoResult:
    cases: int
    complainants: int


# A case found incomplete waits for the complainant's details: its reply clock's pause, as
# the checklist's decision records it, from the day the details were asked for.
_WAITING = """
INSERT INTO reply_pauses (case_id, started, reason, agent)
SELECT id, coalesce(acknowledgement_sent, received), :reason, coalesce(assigned_to, :agent)
FROM cases WHERE id BETWEEN :first AND :last AND admissibility = 'incomplete' ORDER BY id
"""
_SEARCH = """
INSERT INTO cases_search (rowid, reference, name, email, phone, subject, description)
SELECT cases.id, cases.reference, complainants.last_name || ' ' || complainants.first_name,
       complainants.email, complainants.phone, cases.subject, cases.description
FROM cases JOIN complainants ON complainants.id = cases.complainant_id
WHERE cases.id BETWEEN :first AND :last
"""


def generate_demo(
    store: Store,
    *,
    cases: int,
    seed: int,
    today: date,
    calculator: DeadlineCalculator,
    agent: str = "demo",
    worker: bool | None = None,
    batch: int = BATCH,
    progress: Callable[[str, int, int], None] | None = None,
) -> DemoResult:
    """Add ``cases`` demo cases (and their complainants) to the store, in one transaction.

    ``worker``: a second process draws the cases (default: from ``WORKER_FROM`` cases on);
    the store is the same either way. ``batch``: rows drawn at a time; the seed and the batch
    size decide the store. ``progress`` is told (stage, done, total) as cases are loaded
    ("cases") and when the indexes are rebuilt ("indexes").
    """
    connection = store.connection
    complainants = max(1, cases * 7 // 8)  # one in eight comes back with another complaint
    use_worker = cases >= WORKER_FROM if worker is None else worker
    created_at = f"{today}T00:00:00"
    with (
        _bulk_load(connection),
        chaining(connection) as chain_journal,
        # here, outside the transaction: once the search index is written in it, SQLite
        # refuses to drop a function until it ends
        digesting(connection),
        _work_files(store, -(-cases // batch) if use_worker else 0) as (chunks, people),
        store.write(attached_too=False),
        _indexes_set_aside(connection, "cases", "complainants"),
    ):
        plan = _plan(connection, seed, cases, complainants, today, calculator, batch)
        set_plan(plan)
        drawing = Drawing(plan, agent, people)
        with staging(connection, plan), _cases(connection, drawing, created_at, chunks) as loaded:
            waiting = tr("workflow.details_requested")
            with _search_filling(connection):
                done = 0
                for first, last, staged in loaded:
                    chain_journal(staged)
                    span = {"first": first, "last": last}
                    connection.execute(_WAITING, {"agent": agent, "reason": waiting, **span})
                    connection.execute(_SEARCH, span)
                    # the report's kept sums (the triggers that keep them are set aside)
                    figures.add_cases(connection, first, last)
                    done += last - first + 1
                    if progress is not None:
                        progress("cases", done, cases)
            if progress is not None:
                progress("indexes", 0, 1)
    return DemoResult(cases=cases, complainants=complainants)


def _plan(
    connection: sqlite3.Connection,
    seed: int,
    cases: int,
    complainants: int,
    today: date,
    calculator: DeadlineCalculator,
    batch: int,
) -> Plan:
    """The plan, from the store as it stands in this transaction; reference counters move on."""
    counters = dict(connection.execute("SELECT year, last_number FROM reference_counters"))
    plan = make_plan(
        seed,
        cases=cases,
        complainants=complainants,
        first_case=_next_id(connection, "cases"),
        first_complainant=_next_id(connection, "complainants"),
        counters=counters,
        today=today,
        calculator=calculator,
        batch=batch,
    )
    connection.executemany(
        "INSERT INTO reference_counters (year, last_number) VALUES (?, ?) "
        "ON CONFLICT (year) DO UPDATE SET last_number = excluded.last_number",
        sorted(counters.items()),
    )
    return plan


# Spans of case ids (first, last) now in the store, and the table of their journal rows,
# digested, to chain into the journal.
Spans = Iterator[tuple[int, int, str]]


@contextmanager
def _cases(
    connection: sqlite3.Connection,
    drawing: Drawing,
    created_at: str,
    chunks: list[tuple[str, Chunk]],
) -> Iterator[Spans]:
    """The complainants, in the store once entered; then the cases, drawn here batch by
    batch when iterated, or by the drawing process, started now, and copied in chunk by
    chunk. That process draws the first cases while this one draws the complainants into
    their file, which it reads for the cases' states."""
    if not chunks:
        _draw_people(connection, drawing.plan, created_at)
        with _staged_journal(connection) as staged, moves_table(connection):
            yield _drawn(connection, drawing, staged)
        return
    assert drawing.people is not None, "the work files come with the chunks"
    with drawing_process(drawing, [chunk for _, chunk in chunks]) as (completed, people_ready):
        with closing(sqlite3.connect(drawing.people, isolation_level=None)) as people:
            people.execute("PRAGMA journal_mode = OFF")
            people.execute("PRAGMA synchronous = OFF")
            with staging(people, drawing.plan):
                people.execute("BEGIN")
                _draw_people(people, drawing.plan, created_at)
                people.execute("COMMIT")
        people_ready()
        connection.execute(f"INSERT INTO complainants SELECT * FROM {_PEOPLE}.complainants")
        yield _copied(connection, drawing.plan, chunks, completed)


def _draw_people(connection: sqlite3.Connection, plan: Plan, created_at: str) -> None:
    for index in range(plan.people_batches):
        load_people(connection, people_batch(index), created_at=created_at)


@contextmanager
def _staged_journal(connection: sqlite3.Connection) -> Iterator[str]:
    """A staging table for the journal rows this process digests (gone before the load's
    transaction ends, however it ends)."""
    staged = f"temp.{STAGED}"
    connection.execute(STAGING_TABLE.format(name=staged))
    try:
        yield staged
    finally:
        connection.execute(f"DROP TABLE {staged}")


def _drawn(connection: sqlite3.Connection, drawing: Drawing, staged: str) -> Spans:
    plan = drawing.plan
    for index in range(plan.case_batches):
        load_cases(connection, cases_batch(index), agent=drawing.agent)
        first, last = plan.case_ids(index, index + 1)
        span = {"agent": drawing.agent, "note": DEMO_NOTE, "first": first, "last": last}
        digest_rows(connection, journal_rows(), span, into=staged)
        yield first, last, staged
        connection.execute(f"DELETE FROM {staged}")


def _copied(
    connection: sqlite3.Connection,
    plan: Plan,
    chunks: list[tuple[str, Chunk]],
    completed: Iterator[int],
) -> Spans:
    for number in completed:
        name, chunk = chunks[number]
        connection.execute(f"INSERT INTO cases SELECT * FROM {name}.cases")
        yield (*plan.case_ids(chunk.first_batch, chunk.end_batch), f"{name}.{STAGED}")


WORK_PREFIX = "plaintes-demo-"


def sweep_work_folders(folder: Path) -> int:
    """Remove the work folders a killed load left in ``folder`` (call holding the folder's
    demo lock: no load is running there then); how many went."""
    removed = 0
    for left in folder.glob(f"{WORK_PREFIX}*"):
        if left.is_dir() and not left.is_symlink():
            shutil.rmtree(left, ignore_errors=True)
            removed += 1
    return removed


@contextmanager
def _work_files(
    store: Store, batches: int
) -> Iterator[tuple[list[tuple[str, Chunk]], Path | None]]:
    """Empty files for the drawing process: chunks shaped like the cases table (with their
    journal rows' staging table) to fill with ``batches`` batches of cases, and one for the
    complainants; attached to the store's connection before its transaction begins (SQLite
    attaches no database inside one); detached and removed after. None for ``batches`` 0."""
    count = min(CHUNKS, batches)
    if not count:
        yield [], None
        return
    connection = store.connection
    folder = tempfile.TemporaryDirectory(prefix=WORK_PREFIX, dir=store.path.parent)
    people = Path(folder.name) / "people.db"
    chunks: list[tuple[str, Chunk]] = []
    attached: list[str] = []
    try:
        tables = (_table_sql(connection, "cases"), STAGING_TABLE.format(name=STAGED))
        for number in range(count):
            path = Path(folder.name) / f"cases-{number}.db"
            name = f"demo_chunk_{number}"
            _attach_new(connection, path, name, tables)
            attached.append(name)
            first, end = number * batches // count, (number + 1) * batches // count
            chunks.append((name, Chunk(path, first, end)))
        _attach_new(connection, people, _PEOPLE, (_table_sql(connection, "complainants"),))
        attached.append(_PEOPLE)
        yield chunks, people
    finally:
        for name in attached:
            connection.execute(f"DETACH {name}")
        folder.cleanup()


# The complainants' file, as the store's connection names it.
_PEOPLE = "demo_people"


def _attach_new(
    connection: sqlite3.Connection, path: Path, name: str, tables: tuple[str, ...]
) -> None:
    with closing(sqlite3.connect(path)) as new:
        for table in tables:
            new.execute(table)
    connection.execute(f"ATTACH ? AS {name}", (str(path),))


@contextmanager
def _search_filling(connection: sqlite3.Connection) -> Iterator[None]:
    """A big fill of the full-text index: segments written once, large, not merged on the
    way, then merged into one at the end. Left side by side, they would all sit at the first
    level, where the next ordinary writes would merge them (retention's first batches
    rewrote the whole index so) and every search would read each of them."""

    def configure(key: str, value: int) -> None:
        connection.execute(
            "INSERT INTO cases_search (cases_search, rank) VALUES (?, ?)", (key, value)
        )

    configure("hashsize", _FTS_HASH_SIZE)
    configure("automerge", 0)
    yield
    connection.execute("INSERT INTO cases_search (cases_search) VALUES ('optimize')")
    configure("automerge", 4)
    configure("hashsize", _FTS_DEFAULT_HASH_SIZE)


@contextmanager
def _bulk_load(connection: sqlite3.Connection) -> Iterator[None]:
    """A rollback journal instead of the write-ahead log while the load runs, when no one else
    has the store open: pages new to the file are then written once, not to the log and again
    to the file. A larger page cache spares re-reading what was just written. Foreign keys are
    not checked row by row: the drawn rows point only at complainants drawn with them (the
    tests check the result with ``PRAGMA foreign_key_check``)."""
    (busy,) = connection.execute("PRAGMA busy_timeout").fetchone()
    (cache,) = connection.execute("PRAGMA cache_size").fetchone()
    (foreign_keys,) = connection.execute("PRAGMA foreign_keys").fetchone()
    connection.execute("PRAGMA foreign_keys = OFF")
    connection.execute("PRAGMA busy_timeout = 0")  # someone else is here: keep the log
    try:
        (mode,) = connection.execute("PRAGMA journal_mode = DELETE").fetchone()
    except sqlite3.OperationalError:
        mode = "wal"
    connection.execute(f"PRAGMA busy_timeout = {int(busy)}")
    if mode == "delete":
        connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA cache_size = -262144")  # 256 MiB
    try:
        yield
    finally:
        connection.execute(f"PRAGMA cache_size = {int(cache)}")
        connection.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")
        if mode == "delete":
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")


@contextmanager
def _indexes_set_aside(connection: sqlite3.Connection, *tables: str) -> Iterator[None]:
    """Drop tables' indexes and triggers for a bulk insert and build them again after: one
    sort per index instead of a million scattered updates. Call inside a transaction."""
    marks = ", ".join("?" * len(tables))
    saved = connection.execute(
        f"SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ({marks}) "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL",
        tables,
    ).fetchall()
    for kind, name, _ in saved:
        connection.execute(f'DROP {kind.upper()} "{name}"')
    yield
    for _, _, sql in saved:
        connection.execute(sql)


def _table_sql(connection: sqlite3.Connection, table: str) -> str:
    (sql,) = connection.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return str(sql)


def _next_id(connection: sqlite3.Connection, table: str) -> int:
    (last,) = connection.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()
    return int(last) + 1
