"""Journal rows of a bulk load, sealed as SQLite inserts them.

Rows written bare and sealed after (``journal.seal``) are each rewritten three digests longer,
and most of their pages split: at a million-case demo, half its time. Here SQLite builds each
row's texts as the verifier does and calls Python, row after row in order of id, for their
digests and the link to the row before.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial

from plaintes_tui.store.journal import (
    GENESIS,
    WITH_PERSON,
    head,
    later_in,
    link_of,
    printf_sql,
    state_sql,
)

_BULK_COLUMNS = "case_id, case_version, at, agent, action, changes, note"
_BULK_FUNCTIONS = {"journal_bulk_digests": 3, "journal_bulk_state": 1, "journal_bulk_link": 2}


class _BulkChain:
    """The digests of rows sealed as SQLite inserts them, one row after another: SQLite
    computes a row's content and state digests first (kept here), then its link."""

    def __init__(self) -> None:
        self.start(0, GENESIS)

    def start(self, last_id: int, previous: str) -> None:
        self.expected, self.previous = last_id + 1, previous
        self.row: int | None = None
        self.content = ""
        self.state: str | None = None

    def digests(self, row_id: int, content_text: bytes, state_text: bytes | None) -> str:
        self.row = row_id
        self.content = hashlib.sha256(content_text).hexdigest()
        self.state = None if state_text is None else hashlib.sha256(state_text).hexdigest()
        return self.content

    def state_of(self, row_id: int) -> str | None:
        self._check(row_id)
        return self.state

    def link(self, row_id: int, quoted: bytes) -> str:
        self._check(row_id)
        self.previous = link_of(self.previous, quoted, self.content, self.state)
        self.expected += 1
        return self.previous

    def _check(self, row_id: int) -> None:
        # SQLite evaluates a row's columns in order and the rows in the order of their ids:
        # should it not, the insert fails rather than chaining wrongly.
        if row_id != self.expected or self.row != row_id:
            raise RuntimeError(f"journal row {row_id} sealed out of order")


SealedInsert = Callable[[str, Mapping[str, object]], int]


@contextmanager
def sealing_in_bulk(connection: sqlite3.Connection) -> Iterator[SealedInsert]:
    """For a bulk load: a function inserting the journal rows a query selects
    (``_BULK_COLUMNS``, in the order they are chained), each sealed as it goes in, the row
    whose version is its case's with the case's state (rows written bare and sealed after
    are each rewritten three digests longer: most of their pages split). Enter before the
    write transaction begins: its temporary table and functions are made once a load."""
    chain = _BulkChain()
    connection.execute(f"CREATE TEMP TABLE journal_bulk (id INTEGER PRIMARY KEY, {_BULK_COLUMNS})")
    functions: tuple[Callable[..., str | None], ...] = (chain.digests, chain.state_of, chain.link)
    for (name, arguments), function in zip(_BULK_FUNCTIONS.items(), functions, strict=True):
        connection.create_function(name, arguments, function)
    try:
        yield partial(_insert_sealed, connection, chain)
    finally:
        connection.execute("DROP TABLE temp.journal_bulk")
        for name, arguments in _BULK_FUNCTIONS.items():
            connection.create_function(name, arguments, None)


def _insert_sealed(
    connection: sqlite3.Connection, chain: _BulkChain, rows: str, parameters: Mapping[str, object]
) -> int:
    connection.execute(f"INSERT INTO temp.journal_bulk ({_BULK_COLUMNS}) {rows}", parameters)
    last_id, previous = head(connection)
    chain.start(last_id, previous)
    row_id = f"({last_id} + b.id)"
    quoted = printf_sql([row_id, "b.case_id", "b.case_version", "b.at", "b.agent"])
    state = f"CAST({state_sql('c', 'p', later_in(connection))} AS BLOB)"
    try:
        return connection.execute(
            f"INSERT INTO journal (id, {_BULK_COLUMNS}, content_hash, state, hash) "
            f"SELECT {row_id}, b.case_id, b.case_version, b.at, b.agent, b.action, b.changes, "
            f"b.note, journal_bulk_digests({row_id}, "
            f"CAST({printf_sql(('b.changes', 'b.note'))} AS BLOB), "
            f"CASE WHEN c.version = b.case_version THEN {state} END), "
            f"journal_bulk_state({row_id}), "
            f"journal_bulk_link({row_id}, CAST({quoted} || ',' || printf('%Q', b.action) AS BLOB)) "
            f"FROM temp.journal_bulk AS b LEFT JOIN cases AS c ON c.id = b.case_id {WITH_PERSON} "
            "ORDER BY b.id"
        ).rowcount
    finally:
        connection.execute("DELETE FROM temp.journal_bulk")
