"""The journal: every change of a case, in a chain that proves itself.

Each row carries three digests, computed in the transaction that writes it:

- ``content_hash``: its personal content (the changes' values and the note), so that retention
  may later blank that content (``redacted``) without breaking the chain;
- ``state``: the case as this change left it (every column of ``cases``, and its
  complainant's), so that a case or a person changed behind the program's back no longer
  matches the case's last journal row;
- ``hash``: the previous row's ``hash`` and this row's fields, ``content_hash`` and ``state``:
  a row changed, inserted or deleted anywhere breaks every hash after it.

``plaintes verify`` (``store/verify.py``) checks all three; the nightly backup logs the chain's
head, so that a history rewritten from some row on is caught against an earlier head.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time

from plaintes_tui.printable import clean

# The columns of ``cases`` a state digest covers, in this order (schema 15). A migration that
# adds a column to ``cases`` adds it here and seals a new row for every case.
STATE_COLUMNS = (
    "id",
    "reference",
    "complainant_id",
    "channel",
    "received",
    "received_time",
    "logged_at",
    "logged_by",
    "language",
    "category",
    "subject",
    "description",
    "urgent",
    "contact_incomplete",
    "status",
    "admissibility",
    "admissibility_reason",
    "assigned_to",
    "acknowledgement_due",
    "acknowledgement_sent",
    "acknowledgement_means",
    "reply_due_original",
    "reply_due",
    "reply_sent",
    "outcome",
    "network_category",
    "improvement_action",
    "closed_at",
    "ombudsman_referred",
    "next_due",
    "version",
    "updated_at",
    "updated_by",
    "anonymous",
    "anonymised_at",
)
# The complainant's columns the same digest covers, after the case's: a record rewritten
# behind the program's back (a NISS, an address) no longer matches either. Every writer of a
# complainant journals on each of their cases (``store/rectify.py``, ``store/retention.py``).
PERSON_COLUMNS = (
    "last_name",
    "first_name",
    "phone",
    "email",
    "street",
    "postal_code",
    "town",
    "language",
    "niss",
    "country",
    "anonymised_at",
)
# The columns added to ``cases`` since (schema 21 on), after the complainant's: in a state's
# text only when set, so that every state journaled before them still verifies, and a value
# written behind the program's back into one of them does not. Each after the first is named
# in the text (``,name='value'``), so that a value cannot move from one to another unseen.
LATER_COLUMNS = (
    "service",
    "ombudsman_reference",
    "ombudsman_due",
    "ombudsman_conclusion",
    "ombudsman_concluded",
    "ombudsman_recommendation",
)


# A case's state, read: its columns (alias ``c``) and its complainant's (``p``), joined thus.
def _state_columns_sql(later: Sequence[str] = LATER_COLUMNS) -> str:
    return ", ".join(
        [f"c.{name}" for name in STATE_COLUMNS]
        + [f"p.{name}" for name in PERSON_COLUMNS]
        + [f"c.{name}" for name in later]
    )


_STATE_COLUMNS_SQL = _state_columns_sql()
WITH_PERSON = "LEFT JOIN complainants AS p ON p.id = c.complainant_id"
# The hash the first row follows.
GENESIS = hashlib.sha256(b"plaintes-tui journal").hexdigest()


def sql_quote(value: object) -> str:
    """A value as SQLite's ``printf('%Q', …)`` writes it: NULL, or its text in single quotes,
    each inner quote doubled (a whole number as its digits). The verifier builds the same text
    inside SQLite, which is what makes a million rows quick to check; a test holds the two to
    each other."""
    if value is None:
        return "NULL"
    if isinstance(value, int):  # bool included: stored as 0 and 1
        return f"'{int(value)}'"
    if not isinstance(value, str):
        raise TypeError(f"the journal digests text and whole numbers, not {type(value)}")
    text = value.split("\x00", 1)[0]  # SQLite's text stops at a NUL
    return "'" + text.replace("'", "''") + "'"


def _quoted(values: Iterable[object]) -> str:
    """``values`` quoted by :func:`sql_quote`, joined by commas: the text a digest covers. The
    journal is written on every save: text, NULL and whole numbers are quoted inline."""
    return ",".join(
        [
            "NULL"
            if value is None
            else "'" + value.replace("'", "''") + "'"
            if type(value) is str and "\x00" not in value
            else f"'{value}'"
            if type(value) is int
            else sql_quote(value)
            for value in values
        ]
    )


def printf_sql(values: Sequence[str]) -> str:
    """The SQL that builds, inside SQLite, the text :func:`sql_quote` builds of ``values``."""
    return f"printf('{','.join('%Q' for _ in values)}', {', '.join(values)})"


# How a text is made bytes to be digested (a lone surrogate, which SQLite may hold, included).
ENCODING, ERRORS = "utf-8", "surrogatepass"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode(ENCODING, ERRORS)).hexdigest()


_Q, _QQ = "'", "''"  # a quote, and how SQLite's %Q writes it inside a text


def content_hash(changes: str, note: str) -> str:
    return digest(sql_quote(changes) + "," + sql_quote(note))


_FIRST_COLUMNS = len(STATE_COLUMNS) + len(PERSON_COLUMNS)


def _label(name: str) -> str:
    return "" if name == LATER_COLUMNS[0] else f"{name}="


def state_of(values: Sequence[object], later: Sequence[str] = LATER_COLUMNS) -> str:
    """The digest of a case's columns (``STATE_COLUMNS``), its complainant's
    (``PERSON_COLUMNS``) and the case's ``later`` ones (``LATER_COLUMNS``, each only when set),
    in that order."""
    tail = "".join(
        "," + _label(name) + _quoted((value,))
        for name, value in zip(later, values[_FIRST_COLUMNS:], strict=False)
        if value is not None
    )
    return digest(_quoted(values[:_FIRST_COLUMNS]) + tail)


def link_text(
    previous: str,
    row_id: int,
    case_id: int,
    case_version: int,
    at: str,
    agent: str,
    action: str,
    content: str,
    state: str | None,
) -> str:
    """The text a row's link digests, as ``LINK_SQL`` builds it after ``previous``: the whole
    numbers and the digests (hexadecimal) need no quoting of their own."""
    tail = "NULL" if state is None else f"'{state}'"
    return (
        f"{previous},'{row_id}','{case_id}','{case_version}',"
        f"{sql_quote(at)},{sql_quote(agent)},{sql_quote(action)},'{content}',{tail}"
    )


# The same texts, built by SQLite (``store/verify.py``).
CONTENT_SQL = printf_sql(("changes", "note"))
LINK_SQL = printf_sql(
    ("id", "case_id", "case_version", "at", "agent", "action", "content_hash", "state")
)


def state_sql(case: str, person: str, later: Sequence[str] = LATER_COLUMNS) -> str:
    """The text of a case's state built by SQLite, ``case`` and ``person`` the aliases of the
    case's row and its complainant's (``later``: the later columns the store has)."""
    first = printf_sql(
        [f"{case}.{name}" for name in STATE_COLUMNS]
        + [f"{person}.{name}" for name in PERSON_COLUMNS]
    )
    return first + _later_sql(case, later)


def _later_sql(case: str, later: Sequence[str] = LATER_COLUMNS) -> str:
    return "".join(
        f" || CASE WHEN {case}.{name} IS NULL THEN '' "
        f"ELSE ',{_label(name)}' || printf('%Q', {case}.{name}) END"
        for name in later
    )


# What a writer's ``UPDATE cases … RETURNING`` adds for ``append_journal``: the text of the
# case's state as the change left it (the same text as ``state_sql``), quoted by SQLite while
# it writes the row, its complainant's columns read by a subquery; as the bytes SQLite holds,
# which are what is digested (the verifier's too).
STATE_RETURNED = (
    "CAST("
    + printf_sql([f"cases.{name}" for name in STATE_COLUMNS])
    + " || ',' || coalesce((SELECT "
    + printf_sql([f"p.{name}" for name in PERSON_COLUMNS])
    + " FROM complainants AS p WHERE p.id = cases.complainant_id), "
    + repr(",".join("NULL" for _ in PERSON_COLUMNS))
    + ")"
    + _later_sql("cases")
    + " AS BLOB)"
)
_HEAD = "SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1"
# The chain's head and the text of the case's state as the change left it, in one statement,
# for the writers that have not the state: SQLite quotes the columns, Python digests.
_HEAD_AND_STATE = (
    f"SELECT last.id, last.hash, (SELECT CAST({state_sql('c', 'p')} AS BLOB) "
    f"FROM cases AS c {WITH_PERSON} WHERE c.id = ?) FROM (SELECT 1) "
    "LEFT JOIN (SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1) AS last"
)


def iso(value: object) -> object:
    """Dates and times as the store writes them (ISO 8601, to the second)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def head(connection: sqlite3.Connection) -> tuple[int, str]:
    """The last row's id and hash (0 and the genesis hash for an empty journal); rows the
    bulk load or a migration left unsealed are sealed first."""
    row = connection.execute(_HEAD).fetchone()
    if row is None:
        return 0, GENESIS
    if row[1] is None:
        seal(connection)
        return head(connection)
    return int(row[0]), str(row[1])


def append_journal(
    connection: sqlite3.Connection,
    case_id: int,
    case_version: int,
    *,
    at: datetime,
    agent: str,
    action: str,
    changes: Mapping[str, tuple[object, object]] | None = None,
    note: str = "",
    state: bytes | None = None,
) -> None:
    """Journal a change of a case, written inside the transaction that made it (after it),
    chained to the last row and carrying the digest of the case's state as it now stands:
    ``state``, the text ``STATE_RETURNED`` gave the writer's UPDATE (as bytes), or read here."""
    if state is not None:
        last = connection.execute(_HEAD).fetchone()  # head(), read inline: at every save
        last_id, previous = head(connection) if last is None or last[1] is None else last
    else:
        found = connection.execute(_HEAD_AND_STATE, (case_id,)).fetchone()
        if found[0] is not None and found[1] is None:  # rows a bulk load left unsealed
            seal(connection)
            found = connection.execute(_HEAD_AND_STATE, (case_id,)).fetchone()
        last_id = int(found[0]) if found[0] is not None else 0
        previous = str(found[1]) if found[0] is not None else GENESIS
        state = found[2]
    at_text = at.isoformat(timespec="seconds")
    row = _chained(
        previous, last_id + 1, case_id, case_version, at_text, agent, action, changes, note, state
    )
    connection.execute(_INSERT, row)


JournalEntry = tuple[int, int, Mapping[str, tuple[object, object]] | None, bytes | None]


def append_journals(
    connection: sqlite3.Connection,
    entries: Sequence[JournalEntry],
    *,
    at: datetime,
    agent: str,
    action: str,
    note: str = "",
) -> None:
    """Journal one move's changes of several cases — (case id, version, changes, state as
    ``STATE_RETURNED`` gave it) each — in this order, chained from the journal's head read
    once, in one statement."""
    if not entries:
        return
    row_id, previous = head(connection)
    at_text = at.isoformat(timespec="seconds")
    rows = []
    for case_id, case_version, changes, state in entries:
        row_id += 1
        row = _chained(
            previous, row_id, case_id, case_version, at_text, agent, action, changes, note, state
        )
        previous = str(row[-1])
        rows.append(row)
    connection.executemany(_INSERT, rows)


def _chained(
    previous: str,
    row_id: int,
    case_id: int,
    case_version: int,
    at_text: str,
    agent: str,
    action: str,
    changes: Mapping[str, tuple[object, object]] | None,
    note: str,
    state: bytes | None,
) -> tuple[object, ...]:
    """A journal row as ``_INSERT`` takes it, linked to the row ``previous`` (its hash)."""
    sha256 = hashlib.sha256
    digest_ = None if state is None else sha256(state).hexdigest()
    note = clean(note, lines=True)
    changes_text = (
        json.dumps({k: [iso(a), iso(b)] for k, (a, b) in changes.items()}) if changes else "{}"
    )
    fields = (row_id, case_id, case_version, at_text, agent, action)
    if "\x00" in changes_text or "\x00" in note or "\x00" in agent or "\x00" in action:
        content = content_hash(changes_text, note)  # a text SQLite would stop at its NUL
        linked = digest(link_text(previous, *fields, content, digest_))
    else:
        # The texts of content_hash and link_text, built inline (a test holds them together):
        # this runs at every save, and the calls alone were a fifth of the chain's cost.
        content = sha256(
            f"'{changes_text.replace(_Q, _QQ)}','{note.replace(_Q, _QQ)}'".encode(ENCODING, ERRORS)
        ).hexdigest()
        state_text = "NULL" if digest_ is None else f"'{digest_}'"
        who, what = agent.replace(_Q, _QQ), action.replace(_Q, _QQ)
        linked = sha256(
            f"{previous},'{row_id}','{case_id}','{case_version}','{at_text}','{who}','{what}',"
            f"'{content}',{state_text}".encode(ENCODING, ERRORS)
        ).hexdigest()
    return (*fields, changes_text, note, content, digest_, linked)


_INSERT = (
    "INSERT INTO journal (id, case_id, case_version, at, agent, action, changes, note, "
    "content_hash, state, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def later_in(connection: sqlite3.Connection) -> list[str]:
    """The later columns this store has already (a migration seals before the next ones)."""
    present = {row[1] for row in connection.execute("PRAGMA main.table_info(cases)")}
    return [name for name in LATER_COLUMNS if name in present]


def link_of(previous: str, quoted: bytes, content: str, state: str | None) -> str:
    """A row's link from the one before: ``quoted``, its fields from id to action as
    SQLite's ``printf('%Q', …)`` wrote them (``seal`` reads them so)."""
    tail = b"NULL" if state is None else b"'" + state.encode(ENCODING) + b"'"
    text = b"".join((previous.encode(ENCODING), b",", quoted, b",'", content.encode(), b"',", tail))
    return hashlib.sha256(text).hexdigest()


def seal(connection: sqlite3.Connection) -> int:
    """Chain the rows written without hashes (a bulk load, a store from before the chain), in
    order; each case's last row gets the digest of the case as it stands. Inside a write
    transaction. Returns how many rows were sealed.

    SQLite builds the texts digested, as the verifier does (its bytes, as they are): Python
    only digests them and links each row to the one before."""
    row = connection.execute(
        "SELECT id, hash FROM journal WHERE id < (SELECT min(id) FROM journal WHERE hash IS NULL) "
        "ORDER BY id DESC LIMIT 1"
    ).fetchone()
    previous = str(row[1]) if row is not None and row[1] is not None else GENESIS
    fields = printf_sql([f"j.{name}" for name in ("id", "case_id", "case_version", "at", "agent")])
    rows = connection.execute(
        f"SELECT j.id, CAST({fields} || ',' || printf('%Q', j.action) AS BLOB), "
        f"j.content_hash, CAST({printf_sql(('j.changes', 'j.note'))} AS BLOB), "
        "CASE WHEN c.id IS NOT NULL AND j.id = "
        "(SELECT max(id) FROM journal AS later WHERE later.case_id = j.case_id) "
        f"THEN CAST({state_sql('c', 'p', later_in(connection))} AS BLOB) END "
        f"FROM journal AS j LEFT JOIN cases AS c ON c.id = j.case_id {WITH_PERSON} "
        "WHERE j.hash IS NULL ORDER BY j.id"
    )
    sha256 = hashlib.sha256
    sealed = []
    for row_id, quoted, kept, content_text, state_text in rows:
        content = kept or sha256(content_text).hexdigest()
        state = None if state_text is None else sha256(state_text).hexdigest()
        previous = link_of(previous, quoted, content, state)
        sealed.append((content, state, previous, row_id))
    connection.executemany(
        "UPDATE journal SET content_hash = ?, state = ?, hash = ? WHERE id = ?", sealed
    )
    return len(sealed)


# 15 — the journal proves itself (see above): three digests per row, the existing rows sealed
# in order, and the append-only trigger extended to them.
MIGRATION = """
ALTER TABLE journal ADD COLUMN content_hash TEXT;
ALTER TABLE journal ADD COLUMN state TEXT;
ALTER TABLE journal ADD COLUMN hash TEXT;
DROP TRIGGER journal_no_update;
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
    WHEN NOT (
        new.id = old.id AND new.case_id = old.case_id AND new.case_version = old.case_version
        AND new.at = old.at AND new.agent = old.agent AND new.action = old.action
        AND (
            (old.hash IS NULL AND new.hash IS NOT NULL AND new.changes = old.changes
             AND new.note = old.note AND new.redacted IS old.redacted)
            OR (old.redacted IS NULL AND new.redacted IS NOT NULL
                AND new.content_hash IS old.content_hash AND new.state IS old.state
                AND new.hash IS old.hash)
        )
    )
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
"""
