"""Loading the demo data: numbers drawn in Python, text written by SQLite, in one transaction.

Per batch: the drawn rows go to a staging table (integers bind five times faster than strings),
then one ``INSERT … SELECT`` per table turns them into stored rows from lookup tables of words
and days, and the journal and the full-text index follow from the stored rows. For big loads a
second process draws the next batch while this one writes. Indexes are built once at the end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import islice

from plaintes_tui.domain.cases import NO_PENDING_CLOCK
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.store.database import Store
from plaintes_tui.store.demo.draws import (
    NEXT_DUE_ACKNOWLEDGEMENT,
    NEXT_DUE_NO_CLOCK,
    NEXT_DUE_REPLY,
    Plan,
    cases_batch,
    make_plan,
    people_batch,
    set_plan,
)
from plaintes_tui.store.demo.vocabulary import DEMO_NOTE, NAMES, STREETS, TEXTS, TOWNS, email_part
from plaintes_tui.store.demo.worker import drawing_process

# From this many cases on, a second process draws while this one writes.
WORKER_FROM = 100_000
# The full-text index keeps this much in memory before writing a segment (default 1 MiB).
_FTS_HASH_SIZE = 256 * 1024 * 1024
_FTS_DEFAULT_HASH_SIZE = 1024 * 1024


@dataclass(frozen=True)
class DemoResult:
    cases: int
    complainants: int


_LOOKUPS = """
CREATE TEMP TABLE demo_day (
    age INTEGER PRIMARY KEY, day TEXT, year INTEGER, acknowledgement_due TEXT, reply_due TEXT
);
CREATE TEMP TABLE demo_name (id INTEGER PRIMARY KEY, name TEXT, email TEXT);
CREATE TEMP TABLE demo_street (id INTEGER PRIMARY KEY, street TEXT);
CREATE TEMP TABLE demo_town (id INTEGER PRIMARY KEY, postal_code TEXT, town TEXT);
CREATE TEMP TABLE demo_text (id INTEGER PRIMARY KEY, category TEXT, subject TEXT, description TEXT);
CREATE TEMP TABLE demo_person (
    id INTEGER PRIMARY KEY, last INTEGER, first INTEGER, phone INTEGER, email INTEGER,
    street INTEGER, house INTEGER, town INTEGER, language TEXT, niss TEXT
);
CREATE TEMP TABLE demo_case (
    id INTEGER PRIMARY KEY, number INTEGER, person INTEGER, channel TEXT, age INTEGER,
    logged_age INTEGER, logged_minute INTEGER, logged_by TEXT, language TEXT, text INTEGER,
    urgent INTEGER, no_contact INTEGER, status TEXT, admissibility TEXT, assigned_to TEXT,
    acknowledged INTEGER, means TEXT, reply_clock INTEGER, replied INTEGER, outcome TEXT,
    network_category TEXT, closed INTEGER, ombudsman INTEGER, next_due INTEGER
);
"""
_LOOKUP_TABLES = ("demo_day", "demo_name", "demo_street", "demo_town", "demo_text")
_STAGING = ("demo_person", "demo_case")

_PEOPLE = """
INSERT INTO complainants (id, last_name, first_name, phone, email, street, postal_code, town,
                          language, niss, created_at, created_by)
SELECT p.id, last.name, first.name, '+' || p.phone,
       first.email || '.' || last.email || p.email || '@example.be',
       street.street || ' ' || p.house, town.postal_code, town.town, p.language, p.niss,
       :created_at, 'demo'
FROM temp.demo_person AS p
JOIN temp.demo_name AS last ON last.id = p.last
JOIN temp.demo_name AS first ON first.id = p.first
JOIN temp.demo_street AS street ON street.id = p.street
JOIN temp.demo_town AS town ON town.id = p.town
ORDER BY p.id
"""
_CASES = """
INSERT INTO cases (id, reference, complainant_id, channel, received, logged_at, logged_by,
                   language, category, subject, description, urgent, contact_incomplete, status,
                   admissibility, assigned_to, acknowledgement_due, acknowledgement_sent,
                   acknowledgement_means, reply_due_original, reply_due, reply_sent, outcome,
                   network_category, closed_at, ombudsman_referred, next_due, updated_at,
                   updated_by)
SELECT id, reference, person, channel, received, logged_at, logged_by, language, category,
       subject, description, urgent, no_contact, status, admissibility, assigned_to,
       acknowledgement_due, acknowledged, means, reply_due, reply_due, replied, outcome,
       network_category, closed, ombudsman, next_due, logged_at, :agent
FROM (
    SELECT c.id, printf('P-%d-%05d', received.year, c.number) AS reference, c.person, c.channel,
           received.day AS received,
           printf('%sT%02d:%02d:00', logged.day, c.logged_minute / 60, c.logged_minute % 60)
               AS logged_at,
           c.logged_by, c.language, text.category, text.subject, text.description, c.urgent,
           c.no_contact, c.status, c.admissibility, c.assigned_to,
           received.acknowledgement_due, acknowledged.day AS acknowledged, c.means,
           CASE WHEN c.reply_clock THEN received.reply_due END AS reply_due, replied.day AS replied,
           c.outcome, c.network_category, closed.day AS closed, ombudsman.day AS ombudsman,
           CASE c.next_due
               WHEN :acknowledgement THEN received.acknowledgement_due
               WHEN :reply THEN received.reply_due
               WHEN :no_clock THEN :no_pending_clock
           END AS next_due
    FROM temp.demo_case AS c
    JOIN temp.demo_day AS received ON received.age = c.age
    JOIN temp.demo_day AS logged ON logged.age = c.logged_age
    JOIN temp.demo_text AS text ON text.id = c.text
    LEFT JOIN temp.demo_day AS acknowledged ON acknowledged.age = c.acknowledged
    LEFT JOIN temp.demo_day AS replied ON replied.age = c.replied
    LEFT JOIN temp.demo_day AS closed ON closed.age = c.closed
    LEFT JOIN temp.demo_day AS ombudsman ON ombudsman.age = c.ombudsman
    ORDER BY c.id
)
"""
_CASES_PARAMETERS = {
    "acknowledgement": NEXT_DUE_ACKNOWLEDGEMENT,
    "reply": NEXT_DUE_REPLY,
    "no_clock": NEXT_DUE_NO_CLOCK,
    "no_pending_clock": NO_PENDING_CLOCK.isoformat(),
}
_JOURNAL = """
INSERT INTO journal (case_id, case_version, at, agent, action, changes, note)
SELECT id, 1, logged_at, :agent, 'logged', json_object('channel', json_array(NULL, channel)),
       :note
FROM cases WHERE id >= :first ORDER BY id
"""
_SEARCH = """
INSERT INTO cases_search (rowid, reference, name, email, phone, subject, description)
SELECT cases.id, cases.reference, complainants.last_name || ' ' || complainants.first_name,
       complainants.email, complainants.phone, cases.subject, cases.description
FROM cases JOIN complainants ON complainants.id = cases.complainant_id
WHERE cases.id >= :first
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
) -> DemoResult:
    """Add ``cases`` demo cases (and their complainants) to the store, in one transaction.

    ``worker``: draw in a second process (default: from ``WORKER_FROM`` cases on). The store is
    the same either way.
    """
    connection = store.connection
    complainants = max(1, cases * 7 // 8)  # one in eight comes back with another complaint
    with (
        _bulk_load(connection),
        store.write(),
        _indexes_set_aside(connection, "cases", "complainants"),
        _staging(connection),
    ):
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
        )
        _fill_lookups(connection, plan)
        use_worker = cases >= WORKER_FROM if worker is None else worker
        with _drawn(plan, use_worker) as (people, cases_drawn):
            for rows in people:
                _load(connection, "demo_person", rows, _PEOPLE, created_at=f"{today}T00:00:00")
            for rows in cases_drawn:
                _load(connection, "demo_case", rows, _CASES, agent=agent, **_CASES_PARAMETERS)
        first = {"first": plan.first_case}
        connection.execute(_JOURNAL, {"agent": agent, "note": DEMO_NOTE, **first})
        connection.executemany(
            "INSERT INTO reference_counters (year, last_number) VALUES (?, ?) "
            "ON CONFLICT (year) DO UPDATE SET last_number = excluded.last_number",
            sorted(counters.items()),
        )
        with _search_filling(connection):
            connection.execute(_SEARCH, first)
    return DemoResult(cases=cases, complainants=complainants)


def _load(
    connection: sqlite3.Connection,
    staging: str,
    rows: Rows,
    expand: str,
    **parameters: object,
) -> None:
    marks = ", ".join("?" * len(rows[0]))
    connection.executemany(f"INSERT INTO temp.{staging} VALUES ({marks})", rows)
    connection.execute(expand, parameters)
    connection.execute(f"DELETE FROM temp.{staging}")


Rows = list[tuple[object, ...]]


@contextmanager
def _drawn(plan: Plan, use_worker: bool) -> Iterator[tuple[Iterable[Rows], Iterable[Rows]]]:
    """The batches of complainants and of cases, in order: drawn here, or by a second process
    while this one writes."""
    if not use_worker:
        set_plan(plan)
        yield (
            map(people_batch, range(plan.people_batches)),
            map(cases_batch, range(plan.case_batches)),
        )
        return
    jobs = [("people", plan.people_batches), ("cases", plan.case_batches)]
    with drawing_process(plan, jobs) as batches:
        yield islice(batches, plan.people_batches), batches


def _fill_lookups(connection: sqlite3.Connection, plan: Plan) -> None:
    connection.executemany(
        "INSERT INTO temp.demo_day VALUES (?, ?, ?, ?, ?)",
        (
            (
                age,
                day.isoformat(),
                day.year,
                clocks.acknowledgement_due.isoformat(),
                clocks.reply_due.isoformat(),
            )
            for age, (day, clocks) in enumerate(zip(plan.days, plan.clocks, strict=True))
        ),
    )
    connection.executemany(
        "INSERT INTO temp.demo_name VALUES (?, ?, ?)",
        ((i, name, email_part(name)) for i, name in enumerate(NAMES)),
    )
    connection.executemany("INSERT INTO temp.demo_street VALUES (?, ?)", enumerate(STREETS))
    connection.executemany(
        "INSERT INTO temp.demo_town VALUES (?, ?, ?)", ((i, *town) for i, town in enumerate(TOWNS))
    )
    connection.executemany(
        "INSERT INTO temp.demo_text VALUES (?, ?, ?, ?)", ((i, *t) for i, t in enumerate(TEXTS))
    )


@contextmanager
def _staging(connection: sqlite3.Connection) -> Iterator[None]:
    """The lookup and staging tables, for this connection only, gone after the load."""
    for statement in _LOOKUPS.split(";"):
        if statement.strip():
            connection.execute(statement)
    try:
        yield
    finally:
        for table in (*_LOOKUP_TABLES, *_STAGING):
            connection.execute(f"DROP TABLE IF EXISTS temp.{table}")


@contextmanager
def _search_filling(connection: sqlite3.Connection) -> Iterator[None]:
    """A big fill of the full-text index: segments written once, large, and not merged on the
    way (merging resumes with the next ordinary writes)."""

    def configure(key: str, value: int) -> None:
        connection.execute(
            "INSERT INTO cases_search (cases_search, rank) VALUES (?, ?)", (key, value)
        )

    configure("hashsize", _FTS_HASH_SIZE)
    configure("automerge", 0)
    yield
    configure("automerge", 4)
    configure("hashsize", _FTS_DEFAULT_HASH_SIZE)


@contextmanager
def _bulk_load(connection: sqlite3.Connection) -> Iterator[None]:
    """A rollback journal instead of the write-ahead log while the load runs, when no one else
    has the store open: pages new to the file are then written once, not to the log and again
    to the file. A larger page cache spares re-reading what was just written."""
    (busy,) = connection.execute("PRAGMA busy_timeout").fetchone()
    (cache,) = connection.execute("PRAGMA cache_size").fetchone()
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


def _next_id(connection: sqlite3.Connection, table: str) -> int:
    (last,) = connection.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()
    return int(last) + 1
