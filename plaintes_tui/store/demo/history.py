"""Each demo case's history as the program would have journaled it, one row per move, in order:
logged, decided, acknowledged (or answered out of scope, which confirms receipt and closes
it), replied, closed, referred to the Ombudsman. A move is never before the one it follows.

One pass over the cases, each crossed with the moves in order: a case's rows come out in the
chain's order, numbered by arithmetic (a case's version is the count of its rows:
``expand.VERSION``), with no sort. The query selects ``journal_bulk.BULK_COLUMNS``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from plaintes_tui.store.journal import state_sql


def _after(day: str, time: str, minutes: int) -> str:
    """When a move dated ``day`` was journaled: at ``time`` that day, and never before the
    case was logged (``minutes`` after it, the moves keeping their order)."""
    logged = f"strftime('%Y-%m-%dT%H:%M:%S', logged_at, '+{minutes} minutes')"
    return f"max({day} || 'T{time}:00', {logged})"


# (action, whether the case made the move, when it was journaled, what it changed), in order.
_MOVES = (
    ("logged", "1", "logged_at", "json_object('channel', json_array(NULL, channel))"),
    (
        "admissibility_decided",
        "admissibility IS NOT NULL",
        "strftime('%Y-%m-%dT%H:%M:%S', logged_at, '+3 minutes')",
        "json_object('admissibility', json_array(NULL, admissibility))",
    ),
    (
        "answered_out_of_scope",
        "admissibility IS NOT NULL AND reply_due IS NULL AND acknowledgement_sent IS NOT NULL",
        _after("acknowledgement_sent", "10:00", 5),
        "json_object('acknowledgement_sent', json_array(NULL, acknowledgement_sent), "
        "'closed_at', json_array(NULL, closed_at), "
        "'status', json_array('out_of_scope', 'closed'))",
    ),
    (
        "acknowledge",
        "reply_due IS NOT NULL AND acknowledgement_sent IS NOT NULL "
        "AND acknowledgement_means != 'reply'",
        _after("acknowledgement_sent", "10:00", 5),
        "json_object('acknowledgement_sent', json_array(NULL, acknowledgement_sent), "
        "'acknowledgement_means', json_array(NULL, acknowledgement_means))",
    ),
    (
        "reply",
        "reply_sent IS NOT NULL",
        _after("reply_sent", "11:00", 10),
        "json_object('outcome', json_array(NULL, outcome), "
        "'reply_sent', json_array(NULL, reply_sent))",
    ),
    (
        "close",
        "closed_at IS NOT NULL AND reply_due IS NOT NULL",
        _after("closed_at", "16:00", 15),
        "json_object('closed_at', json_array(NULL, closed_at), "
        "'status', json_array(NULL, 'closed'))",
    ),
    (
        "ombudsman",
        "ombudsman_referred IS NOT NULL",
        _after("ombudsman_referred", "09:00", 20),
        "json_object('ombudsman_referred', json_array(NULL, ombudsman_referred))",
    ),
)


def _by_move(values: list[str]) -> str:
    """The value for the move ``m.step`` out of one per move."""
    cases = " ".join(f"WHEN {step} THEN {value}" for step, value in enumerate(values))
    return f"CASE m.step {cases} END"


def _versions() -> list[str]:
    """Each move's row version: one more than the moves the case made before it."""
    made = [f"coalesce({made}, 0)" for _, made, _, _ in _MOVES]
    return [" + ".join([str(1 + (step > 0)), *made[1:step]]) for step in range(len(_MOVES))]


@contextmanager
def moves_table(connection: sqlite3.Connection) -> Iterator[None]:
    """The moves, numbered, for ``journal_rows`` to cross the cases with: a table keyed by the
    move's number, so that SQLite reads each case's moves in order rather than sorting them."""
    connection.execute("CREATE TEMP TABLE demo_move (step INTEGER PRIMARY KEY, action TEXT)")
    try:
        connection.executemany(
            "INSERT INTO temp.demo_move VALUES (?, ?)",
            ((step, action) for step, (action, *_) in enumerate(_MOVES)),
        )
        yield
    finally:
        connection.execute("DROP TABLE temp.demo_move")


_VERSION = _by_move(_versions())
_JOURNAL = f"""
SELECT c.id AS case_id, {_VERSION} AS case_version, {_by_move([at for *_, at, _ in _MOVES])} AS at,
       CASE m.step WHEN 0 THEN :agent ELSE coalesce(c.assigned_to, :agent) END AS agent,
       m.action, {_by_move([changes for *_, changes in _MOVES])} AS changes,
       CASE m.step WHEN 0 THEN :note ELSE '' END AS note,
       CASE WHEN {_VERSION} = c.version THEN (
           SELECT CAST({state_sql("c", "p")} AS BLOB) FROM {{complainants}} AS p
           WHERE p.id = c.complainant_id
       ) END AS state
FROM {{cases}} AS c CROSS JOIN temp.demo_move AS m
WHERE c.id BETWEEN :first AND :last AND {_by_move([made for _, made, _, _ in _MOVES])}
ORDER BY c.id, m.step
"""


def journal_rows(cases: str = "cases", complainants: str = "complainants") -> str:
    """The query of the journal rows of the cases ``:first`` to ``:last`` of the table
    ``cases``, their complainants in ``complainants``, logged by ``:agent`` with ``:note``."""
    return _JOURNAL.replace("{cases}", cases).replace("{complainants}", complainants)
