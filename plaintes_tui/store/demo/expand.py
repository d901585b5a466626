"""From drawn numbers to stored rows: lookup tables of days and words, staging tables for the
drawn rows, and the ``INSERT … SELECT`` statements that write complainants and cases.

Used by this process and by the drawing process alike; ``schema`` names the database that
receives the rows (the store itself, or a file the drawing process fills).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from plaintes_tui.domain.cases import NO_PENDING_CLOCK
from plaintes_tui.store.demo.draws import (
    NEXT_DUE_ACKNOWLEDGEMENT,
    NEXT_DUE_NO_CLOCK,
    NEXT_DUE_REPLY,
    Plan,
)
from plaintes_tui.store.demo.vocabulary import NAMES, STREETS, TEXTS, TOWNS, email_part

Rows = list[tuple[object, ...]]

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
INSERT INTO {schema}.complainants (id, last_name, first_name, phone, email, street,
                                   postal_code, town, language, niss, created_at, created_by)
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
# A case's version: one for each row of its journal (``load._JOURNAL``).
VERSION = (
    "1 + (admissibility IS NOT NULL) + (acknowledged IS NOT NULL AND"
    " (reply_due IS NULL OR means != 'reply')) + (replied IS NOT NULL)"
    " + (closed IS NOT NULL AND reply_due IS NOT NULL) + (ombudsman IS NOT NULL)"
)
# The service concerned (the default [services]): where the decision or the category says
# it, else spread over the DGs; one case in six not set yet.
SERVICE = """CASE
    WHEN admissibility = 'not_a_complaint' THEN NULL
    WHEN admissibility = 'redirected_dg_handicap' THEN 'dg_handicap'
    WHEN category = 'unclear_publication' THEN 'support'
    ELSE CASE id % 6 WHEN 0 THEN NULL WHEN 1 THEN 'dg_social_policy'
        WHEN 2 THEN 'social_inspection' WHEN 3 THEN 'dg_handicap' ELSE 'dg_self_employed' END
END"""
_CASES = """
INSERT INTO {schema}.cases (id, reference, complainant_id, channel, received, logged_at, logged_by,
                   language, category, subject, description, urgent, contact_incomplete, status,
                   admissibility, assigned_to, acknowledgement_due, acknowledgement_sent,
                   acknowledgement_means, reply_due_original, reply_due, reply_sent, outcome,
                   network_category, closed_at, ombudsman_referred, next_due, version,
                   updated_at, updated_by, service)
SELECT id, reference, person, channel, received, logged_at, logged_by, language, category,
       subject, description, urgent, no_contact, status, admissibility, assigned_to,
       acknowledgement_due, acknowledged, means, reply_due, reply_due, replied, outcome,
       network_category, closed, ombudsman, next_due, {version}, logged_at, :agent,
       {service}
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


def load_people(
    connection: sqlite3.Connection, rows: Rows, *, created_at: str, schema: str = "main"
) -> None:
    _load(connection, "demo_person", rows, _PEOPLE.format(schema=schema), created_at=created_at)


def load_cases(
    connection: sqlite3.Connection, rows: Rows, *, agent: str, schema: str = "main"
) -> None:
    expand = _CASES.format(schema=schema, version=VERSION, service=SERVICE)
    _load(connection, "demo_case", rows, expand, agent=agent, **_CASES_PARAMETERS)


def _load(
    connection: sqlite3.Connection,
    table: str,
    rows: Rows,
    expand: str,
    **parameters: object,
) -> None:
    """Stage ``rows`` in ``table``, write them out with ``expand``, empty the stage."""
    marks = ", ".join("?" * len(rows[0]))
    connection.executemany(f"INSERT INTO temp.{table} VALUES ({marks})", rows)
    connection.execute(expand, parameters)
    connection.execute(f"DELETE FROM temp.{table}")


@contextmanager
def staging(connection: sqlite3.Connection, plan: Plan) -> Iterator[None]:
    """The lookup and staging tables, for this connection only, gone after the load."""
    for statement in _LOOKUPS.split(";"):
        if statement.strip():
            connection.execute(statement)
    _fill_lookups(connection, plan)
    try:
        yield
    finally:
        for table in (*_LOOKUP_TABLES, *_STAGING):
            connection.execute(f"DROP TABLE IF EXISTS temp.{table}")


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
