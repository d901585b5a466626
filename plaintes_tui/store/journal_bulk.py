"""Journal rows of a bulk load, sealed as SQLite inserts them.

Rows written bare and sealed after (``journal.seal``) are each rewritten three digests longer,
and most of their pages split: at a million-case demo, half its time. Here SQLite hands each
row, in the order of the chain, to one Python call that digests its content and state and
links it to the row before; the row goes in with the three digests, its id the next one.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial

from plaintes_tui.store.journal import (
    ENCODING,
    ERRORS,
    GENESIS,
    content_hash,
    head,
    link_text,
)

# What a load's query selects, in this order, one row per journal row in the chain's order:
# ``state`` is the text of the case's state (``journal.state_sql``, as a BLOB) on the row that
# leaves the case as it is stored, NULL on the others.
BULK_COLUMNS = ("case_id", "case_version", "at", "agent", "action", "changes", "note", "state")
_SEAL = "journal_bulk_seal"
_STORED = ", ".join(BULK_COLUMNS[:-1])
# How many distinct contents are remembered: a load's rows repeat a few thousand.
_CONTENTS_KEPT = 100_000


class _BulkChain:
    """The digests of rows sealed as SQLite inserts them, one row after another."""

    def __init__(self) -> None:
        self.start(0, GENESIS)

    def start(self, last_id: int, previous: str) -> None:
        self.last_id, self.previous = last_id, previous
        self.contents: dict[tuple[str, str], str] = {}

    def seal(
        self,
        case_id: int,
        case_version: int,
        at: str,
        agent: str,
        action: str,
        changes: str,
        note: str,
        state_text: bytes | None,
    ) -> str:
        """The next row's content digest, state digest (blank for none) and link, in one
        text of fixed widths (``_DIGESTS`` splits it)."""
        self.last_id += 1
        content = self.contents.get((changes, note))
        if content is None:
            if len(self.contents) >= _CONTENTS_KEPT:
                self.contents.clear()
            content = self.contents[changes, note] = content_hash(changes, note)
        state = None if state_text is None else hashlib.sha256(state_text).hexdigest()
        fields = (self.last_id, case_id, case_version, at, agent, action)
        quoted = at + agent + action
        if "'" in quoted or "\x00" in quoted:
            text = link_text(self.previous, *fields, content, state)
        else:  # link_text's text, built inline: this runs for every row of a load
            tail = "NULL" if state is None else f"'{state}'"
            text = (
                f"{self.previous},'{self.last_id}','{case_id}','{case_version}','{at}',"
                f"'{agent}','{action}','{content}',{tail}"
            )
        self.previous = hashlib.sha256(text.encode(ENCODING, ERRORS)).hexdigest()
        return f"{content} {state or ' ' * 64} {self.previous}"


# The three digests out of the one text: SQLite calls Python once a row (a subquery with a
# LIMIT is not flattened into the insert, whose three columns would each call it again).
_DIGESTS = "substr(d, 1, 64), nullif(substr(d, 66, 64), '{blank}'), substr(d, 131, 64)".format(
    blank=" " * 64
)

SealedInsert = Callable[[str, Mapping[str, object]], int]


@contextmanager
def sealing_in_bulk(connection: sqlite3.Connection) -> Iterator[SealedInsert]:
    """For a bulk load: a function inserting the journal rows a query selects
    (``BULK_COLUMNS``, in the order they are chained), each sealed as it goes in (rows written
    bare and sealed after are each rewritten three digests longer: most of their pages
    split). Call it inside the load's write transaction."""
    chain = _BulkChain()
    connection.create_function(_SEAL, len(BULK_COLUMNS), chain.seal)
    try:
        yield partial(_insert_sealed, connection, chain)
    finally:
        connection.create_function(_SEAL, len(BULK_COLUMNS), None)


def _insert_sealed(
    connection: sqlite3.Connection, chain: _BulkChain, rows: str, parameters: Mapping[str, object]
) -> int:
    last_id, previous = head(connection)
    chain.start(last_id, previous)
    count = connection.execute(
        f"INSERT INTO journal ({_STORED}, content_hash, state, hash) "
        f"SELECT {_STORED}, {_DIGESTS} FROM ("
        f"SELECT {_STORED}, {_SEAL}({', '.join(BULK_COLUMNS)}) AS d FROM ({rows}) "
        "LIMIT -1 OFFSET 0)",
        parameters,
    ).rowcount
    # Each row took the next id, as its link says: else the load fails, nothing written.
    if head(connection) != (chain.last_id, chain.previous) or chain.last_id != last_id + count:
        raise RuntimeError("journal rows sealed out of order")
    return count
