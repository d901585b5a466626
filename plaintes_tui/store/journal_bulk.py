"""Journal rows of a bulk load, sealed as SQLite inserts them, in two steps.

Rows written bare and sealed after (``journal.seal``) are each rewritten three digests longer,
and most of their pages split: at a million-case demo, half its time. Here a load's rows are
first *digested* into a staging table (their content's and their state's digests: each row on
its own, so another process may do it), then *chained* into the journal: each row takes the
next id and its link to the row before, as it goes in. SQLite hands Python one row per call:
Python quotes a row's content as the verifier's ``printf('%Q')`` does (``content_hash``), and
SQLite quotes the fields the link covers itself.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial

from plaintes_tui.store.journal import ENCODING, content_hash, head, printf_sql

# What a load's query selects, in this order, one row per journal row in the chain's order:
# ``state`` is the text of the case's state (``journal.state_sql``, as a BLOB) on the row that
# leaves the case as it is stored, NULL on the others.
BULK_COLUMNS = ("case_id", "case_version", "at", "agent", "action", "changes", "note", "state")
_FIELDS = ", ".join(BULK_COLUMNS[:-1])
# A staging table of digested rows, in the chain's order (its rowid).
_STAGED = f"{_FIELDS}, content_hash, state"
STAGING_TABLE = "CREATE TABLE {name} (" + ", ".join(_STAGED.split(", ")) + ")"
# How many distinct contents are remembered: a load's rows repeat a few thousand.
_CONTENTS_KEPT = 100_000
_DIGESTS, _LINK = "journal_bulk_digests", "journal_bulk_link"
_BLANK = " " * 64
# Each call's text holds two values: a subquery with a LIMIT is not flattened into the insert,
# whose columns would each call Python again.
_ONCE = "LIMIT -1 OFFSET 0"


class _Contents:
    """Content and state digests, row by row (``digest_rows``)."""

    def __init__(self) -> None:
        self.kept: dict[tuple[str, str], str] = {}

    def digests(self, changes: str, note: str, state_text: bytes | None) -> str:
        content = self.kept.get((changes, note))
        if content is None:
            if len(self.kept) >= _CONTENTS_KEPT:
                self.kept.clear()
            content = self.kept[changes, note] = content_hash(changes, note)
        state = _BLANK if state_text is None else hashlib.sha256(state_text).hexdigest()
        return f"{content} {state}"


class _Chain:
    """The links of rows chained into the journal, one after another (``chain_rows``)."""

    def __init__(self) -> None:
        self.last_id: int | None = None
        self.previous = ""

    def link(self, fields: bytes) -> str:
        """The next row's link, then its id: ``fields`` are its fields after the id, quoted
        by SQLite as the verifier quotes them, each after a comma."""
        assert self.last_id is not None, "the chain's head is read first"
        self.last_id += 1
        text = b"%s,'%d'%s" % (self.previous.encode(ENCODING), self.last_id, fields)
        self.previous = hashlib.sha256(text).hexdigest()
        return f"{self.previous} {self.last_id}"


# A row's fields after its id, quoted as the verifier quotes them (``journal.LINK_SQL``).
_LINK_FIELDS = "CAST(',' || {} AS BLOB)".format(
    printf_sql(("case_id", "case_version", "at", "agent", "action", "content_hash", "state"))
)


def digest_rows(
    connection: sqlite3.Connection, rows: str, parameters: Mapping[str, object], into: str
) -> None:
    """Add the rows the query ``rows`` selects (``BULK_COLUMNS``), digested, in order, to the
    staging table ``into`` (``STAGING_TABLE``). Inside ``digesting``."""
    connection.execute(
        f"INSERT INTO {into} ({_STAGED}) "
        f"SELECT {_FIELDS}, substr(d, 1, 64), nullif(substr(d, 66, 64), '{_BLANK}') FROM ("
        f"SELECT {_FIELDS}, {_DIGESTS}(changes, note, state) AS d FROM ({rows}) {_ONCE})",
        parameters,
    )


@contextmanager
def digesting(connection: sqlite3.Connection) -> Iterator[None]:
    """What ``digest_rows`` calls, for this connection."""
    connection.create_function(_DIGESTS, 3, _Contents().digests)
    try:
        yield
    finally:
        connection.create_function(_DIGESTS, 3, None)


Chained = Callable[[str], int]


@contextmanager
def chaining(connection: sqlite3.Connection) -> Iterator[Chained]:
    """A function appending a staging table's rows to the journal, in order, each linked to
    the one before: how many went in. The chain follows the journal's head, read when the
    first rows go in (call it inside the load's write transaction), from call to call."""
    chain = _Chain()
    connection.create_function(_LINK, 1, chain.link)
    try:
        yield partial(_chain_rows, connection, chain)
    finally:
        connection.create_function(_LINK, 1, None)


def _chain_rows(connection: sqlite3.Connection, chain: _Chain, staged: str) -> int:
    if chain.last_id is None:
        chain.last_id, chain.previous = head(connection)
    first = chain.last_id
    count = connection.execute(
        f"INSERT INTO journal (id, {_FIELDS}, content_hash, state, hash) "
        f"SELECT CAST(substr(d, 66) AS INTEGER), {_FIELDS}, content_hash, state, "
        f"substr(d, 1, 64) FROM (SELECT {_STAGED}, "
        f"{_LINK}({_LINK_FIELDS}) AS d "
        f"FROM {staged} ORDER BY rowid {_ONCE})"
    ).rowcount
    if chain.last_id != first + count:  # each row took the next id: else nothing is kept
        raise RuntimeError("journal rows chained out of order")
    return count
