"""The report's figures of settled cases, kept up to date by triggers (schema 14).

A case is *settled* once none of its figures can change with the passing of days: no clock
runs (``next_due`` is NULL), it does not wait on the complainant, and its acknowledgement was
sent or is not owed. What a settled case adds to each count of the report is then a constant,
so the store keeps the sums of the settled cases per month of receipt:

- ``figures_month``: per month and channel, the cases and their clock figures;
- ``figures_by``: per month, the cases by decision, by network category and outcome, by
  complaint category, by language and by agent (``dimension``, ``value``, ``detail``);
- ``figures_days``: for every case, settled or not, how many days its acknowledgement and its
  reply took;
- ``figures_replies``: how many replies the journal holds.

Triggers add and subtract as cases change, so no writer can forget them; the report reads a
few hundred rows where it would group a year of cases, and reads the cases that are not
settled (``UNSETTLED``, a partial index) live. The SQL here is migration 14: once shipped,
change it only by a new migration.
"""

from __future__ import annotations

import re
import sqlite3

from plaintes_tui.domain.cases import ACK_NOT_OWED
from plaintes_tui.store.sql_lists import WAITING

# Expressions about one case name its columns in braces: ``_of`` puts ``new.`` or ``old.``
# before them in a trigger, ``_bare`` takes the braces away in a query over the table.
_UNSETTLED = (
    f"({{next_due}} IS NOT NULL OR {{status}} IN {WAITING} "
    "OR ({acknowledgement_sent} IS NULL "
    f"AND coalesce({{acknowledgement_means}}, '') != '{ACK_NOT_OWED}'))"
)


def _of(row: str, expression: str) -> str:
    """``expression`` about the case ``row`` (``new`` or ``old``) in a trigger."""
    return re.sub(r"\{(\w+)\}", rf"{row}.\1", expression)


def _bare(expression: str) -> str:
    """``expression`` about each row of ``cases`` in a query."""
    return re.sub(r"\{(\w+)\}", r"\1", expression)


# Never NULL, so that a case is either settled or not: the live read and the triggers split
# the cases between them exactly.
UNSETTLED = _bare(_UNSETTLED)

# The sums kept per month and channel, in the order of the report's figures.
SUMS = (
    "cases",
    "ack_counted",
    "ack_on_time",
    "reply_counted",
    "reply_on_time",
    "reply_on_time_raw",
    "reply_counted_raw",
    "ombudsman",
    "improvement",
    "anonymous",
)
_ACK_COUNTED = (
    "({acknowledgement_sent} IS NOT NULL "
    f"AND coalesce({{acknowledgement_means}}, '') != '{ACK_NOT_OWED}')"
)
_REPLY_COUNTED = "({reply_due_original} IS NOT NULL AND {reply_sent} IS NOT NULL)"
# What one settled case adds to each sum.
_CONTRIBUTION = (
    "1",
    _ACK_COUNTED,
    f"coalesce({_ACK_COUNTED} AND {{acknowledgement_sent}} <= {{acknowledgement_due}}, 0)",
    _REPLY_COUNTED,
    f"coalesce({_REPLY_COUNTED} AND {{reply_sent}} <= {{reply_due}}, 0)",
    f"coalesce({_REPLY_COUNTED} AND {{reply_sent}} <= {{reply_due_original}}, 0)",
    _REPLY_COUNTED,
    "({ombudsman_referred} IS NOT NULL)",
    "(coalesce({improvement_action}, '') != '')",
    "coalesce({anonymous}, 0)",
)
# What the report breaks cases down by, besides month and channel: (value, detail). Migration
# 14 kept the first five; migration 18 added the channel by decision (complaints by channel
# leave out what is not a complaint).
_DIMENSIONS_14 = {
    "decision": ("coalesce({admissibility}, 'not_checked')", "''"),
    "outcome": ("coalesce({network_category}, 'unclassified')", "coalesce({outcome}, '')"),
    "category": ("{category}", "''"),
    "language": ("{language}", "''"),
    "agent": ("coalesce({assigned_to}, '')", "''"),
}
_CHANNEL = {"channel": ("{channel}", "coalesce({admissibility}, 'not_checked')")}
DIMENSIONS = {**_DIMENSIONS_14, **_CHANNEL}
# How many days an acknowledgement (not one that was not owed) and a reply took.
_DAYS = {
    "ack": (
        "{acknowledgement_sent} IS NOT NULL "
        f"AND coalesce({{acknowledgement_means}}, '') != '{ACK_NOT_OWED}'",
        "CAST(julianday({acknowledgement_sent}) - julianday({received}) AS INTEGER)",
    ),
    "reply": (
        "{reply_sent} IS NOT NULL",
        "CAST(julianday({reply_sent}) - julianday({received}) AS INTEGER)",
    ),
}
# Columns whose change may move a case's contribution: the triggers on updates watch these.
_WATCHED = (
    "received, channel, category, language, status, admissibility, network_category, outcome, "
    "assigned_to, acknowledgement_due, acknowledgement_sent, acknowledgement_means, "
    "reply_due_original, reply_due, reply_sent, next_due, ombudsman_referred, "
    "improvement_action, anonymous"
)
_MONTH = "substr({received}, 1, 7)"
_ADD_MONTH = (
    f"ON CONFLICT (month, channel) DO UPDATE SET "
    f"{', '.join(f'{name} = {name} + excluded.{name}' for name in SUMS)};"
)
_ADD_BY = (
    "ON CONFLICT (month, dimension, value, detail) DO UPDATE SET cases = cases + excluded.cases;"
)
_ADD_DAYS = "ON CONFLICT (month, kind, days) DO UPDATE SET cases = cases + excluded.cases;"


def _add_settled(row: str, sign: str, dimensions: dict[str, tuple[str, str]] = DIMENSIONS) -> str:
    """Add (``sign`` empty) or take away (``-``) what the settled case ``row`` counts for."""
    sums = ", ".join(f"{sign}{_of(row, value)}" for value in _CONTRIBUTION)
    breakdown = " UNION ALL ".join(
        f"SELECT '{name}', {_of(row, value)}, {_of(row, detail)}"
        for name, (value, detail) in dimensions.items()
    )
    month = _of(row, _MONTH)
    return (
        f"INSERT INTO figures_month (month, channel, {', '.join(SUMS)}) "
        f"VALUES ({month}, {row}.channel, {sums}) {_ADD_MONTH}\n"
        "INSERT INTO figures_by (month, dimension, value, detail, cases) "
        f"SELECT {month}, *, {sign}1 FROM ({breakdown}) WHERE 1 {_ADD_BY}"
    )


def _add_days(row: str, sign: str) -> str:
    return "\n".join(
        "INSERT INTO figures_days (month, kind, days, cases) "
        f"SELECT {_of(row, _MONTH)}, '{kind}', {_of(row, days)}, {sign}1 "
        f"WHERE {_of(row, when)} {_ADD_DAYS}"
        for kind, (when, days) in _DAYS.items()
    )


def _fill(cases: str, dimensions: dict[str, tuple[str, str]] = DIMENSIONS) -> list[str]:
    """Statements adding what the ``cases`` (a condition) count for to the kept sums."""
    settled = f"{cases} AND NOT {UNSETTLED}"
    month = _bare(_MONTH)
    return [
        f"INSERT INTO figures_month (month, channel, {', '.join(SUMS)}) "
        f"SELECT {month}, channel, "
        f"{', '.join(f'sum({_bare(value)})' for value in _CONTRIBUTION)} "
        f"FROM cases WHERE {settled} GROUP BY 1, 2 {_ADD_MONTH}",
        *(
            "INSERT INTO figures_by (month, dimension, value, detail, cases) "
            f"SELECT {month}, '{name}', {_bare(value)}, {_bare(detail)}, count(*) "
            f"FROM cases WHERE {settled} GROUP BY 1, 3, 4 {_ADD_BY}"
            for name, (value, detail) in dimensions.items()
        ),
        *(
            "INSERT INTO figures_days (month, kind, days, cases) "
            f"SELECT {month}, '{kind}', {_bare(days)}, count(*) FROM cases "
            f"WHERE {cases} AND {_bare(when)} GROUP BY 1, 3 {_ADD_DAYS}"
            for kind, (when, days) in _DAYS.items()
        ),
    ]


def add_cases(connection: sqlite3.Connection, first: int, last: int) -> None:
    """Count the cases of ids ``first`` to ``last`` in the kept sums: for a bulk load that
    set the triggers aside (their journal is written after, with its trigger)."""
    for statement in _fill(f"id BETWEEN {int(first)} AND {int(last)}"):
        connection.execute(statement)


def _months_replies(month: str, count: str) -> str:
    return (
        f"INSERT INTO figures_replies (month, replies) SELECT {month}, {count} WHERE {count} != 0 "
        "ON CONFLICT (month) DO UPDATE SET replies = replies + excluded.replies;"
    )


_CASE_REPLIES = "(SELECT count(*) FROM journal WHERE case_id = new.id AND action = 'reply')"
# A reply set aside by a reopening: the journal row of a reopening that cleared a sent reply.
SET_ASIDE = "action = 'reopen' AND json_extract(changes, '$.reply_sent[0]') IS NOT NULL"
_CASE_SET_ASIDE = f"(SELECT count(*) FROM journal WHERE case_id = new.id AND {SET_ASIDE})"
_FILL_ALL = "\n".join(_fill("1", _DIMENSIONS_14))


def _settled_triggers(dimensions: dict[str, tuple[str, str]]) -> str:
    return f"""
    CREATE TRIGGER figures_case_settled AFTER INSERT ON cases WHEN NOT {_of("new", _UNSETTLED)}
    BEGIN
        {_add_settled("new", "", dimensions)}
    END;
    CREATE TRIGGER figures_case_unsettled AFTER DELETE ON cases WHEN NOT {_of("old", _UNSETTLED)}
    BEGIN
        {_add_settled("old", "-", dimensions)}
    END;
    {_update_triggers(dimensions)}
"""


def _update_triggers(dimensions: dict[str, tuple[str, str]], also: str = "") -> str:
    """A settled case's contribution taken away before an update and added after it, when
    ``also`` (a condition) holds."""
    return f"""
    CREATE TRIGGER figures_case_before AFTER UPDATE OF {_WATCHED} ON cases
        WHEN NOT {_of("old", _UNSETTLED)}{also}
    BEGIN
        {_add_settled("old", "-", dimensions)}
    END;
    CREATE TRIGGER figures_case_after AFTER UPDATE OF {_WATCHED} ON cases
        WHEN NOT {_of("new", _UNSETTLED)}{also}
    BEGIN
        {_add_settled("new", "", dimensions)}
    END;
"""


MIGRATION = f"""
    CREATE INDEX cases_unsettled ON cases(received) WHERE {UNSETTLED};
    CREATE INDEX cases_improvement ON cases(received)
        WHERE improvement_action IS NOT NULL AND improvement_action != '';
    CREATE TABLE figures_month (
        month TEXT NOT NULL,
        channel TEXT NOT NULL,
        {", ".join(f"{name} INTEGER NOT NULL" for name in SUMS)},
        PRIMARY KEY (month, channel)
    ) WITHOUT ROWID;
    CREATE TABLE figures_by (
        month TEXT NOT NULL,
        dimension TEXT NOT NULL,
        value TEXT NOT NULL,
        detail TEXT NOT NULL,
        cases INTEGER NOT NULL,
        PRIMARY KEY (month, dimension, value, detail)
    ) WITHOUT ROWID;
    CREATE TABLE figures_days (
        month TEXT NOT NULL,
        kind TEXT NOT NULL,
        days INTEGER NOT NULL,
        cases INTEGER NOT NULL,
        PRIMARY KEY (month, kind, days)
    ) WITHOUT ROWID;
    CREATE TABLE figures_replies (
        month TEXT PRIMARY KEY,
        replies INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TRIGGER figures_case_added AFTER INSERT ON cases BEGIN
        {_add_days("new", "")}
    END;
    CREATE TRIGGER figures_case_removed AFTER DELETE ON cases BEGIN
        {_add_days("old", "-")}
    END;
    {_settled_triggers(_DIMENSIONS_14)}
    CREATE TRIGGER figures_case_days
        AFTER UPDATE OF received, acknowledgement_sent, acknowledgement_means, reply_sent ON cases
        WHEN old.received IS NOT new.received
            OR old.acknowledgement_sent IS NOT new.acknowledgement_sent
            OR old.acknowledgement_means IS NOT new.acknowledgement_means
            OR old.reply_sent IS NOT new.reply_sent
    BEGIN
        {_add_days("old", "-")}
        {_add_days("new", "")}
    END;
    CREATE TRIGGER figures_case_moved AFTER UPDATE OF received ON cases
        WHEN substr(old.received, 1, 7) != substr(new.received, 1, 7)
    BEGIN
        {_months_replies("substr(old.received, 1, 7)", "-" + _CASE_REPLIES)}
        {_months_replies("substr(new.received, 1, 7)", _CASE_REPLIES)}
    END;
    CREATE TRIGGER figures_reply AFTER INSERT ON journal WHEN new.action = 'reply' BEGIN
        {_months_replies("(SELECT substr(received, 1, 7) FROM cases WHERE id = new.case_id)", "1")}
    END;

    {_FILL_ALL}
    INSERT INTO figures_replies (month, replies)
        SELECT substr(cases.received, 1, 7), count(*) FROM journal
        JOIN cases ON cases.id = journal.case_id WHERE journal.action = 'reply' GROUP BY 1;
"""


# The replies set aside by reopenings, counted from the journal into ``figures_replies``.
COUNT_SET_ASIDE = (
    "INSERT INTO figures_replies (month, replies) "
    "SELECT substr(cases.received, 1, 7), count(*) FROM journal "
    f"JOIN cases ON cases.id = journal.case_id WHERE {SET_ASIDE} GROUP BY 1"
)


# Migration 18 — figures by DOMAIN's definitions: complaints by channel leave out what is not a
# complaint (the channel by decision is kept); a reply is counted once its letter left (the
# case's ``reply_sent``) plus every earlier reply a reopening set aside, no longer by the
# journal's decisions; Ombudsman referrals are counted by the day of referral (an index).
MIGRATION_18 = f"""
    DROP TRIGGER figures_case_settled;
    DROP TRIGGER figures_case_unsettled;
    DROP TRIGGER figures_case_before;
    DROP TRIGGER figures_case_after;
    {_settled_triggers(DIMENSIONS)}
    INSERT INTO figures_by (month, dimension, value, detail, cases)
        SELECT {_bare(_MONTH)}, 'channel', {_bare(_CHANNEL["channel"][0])},
               {_bare(_CHANNEL["channel"][1])}, count(*)
        FROM cases WHERE NOT {UNSETTLED} GROUP BY 1, 3, 4;

    DROP TRIGGER figures_reply;
    DROP TRIGGER figures_case_moved;
    CREATE TRIGGER figures_reply AFTER INSERT ON journal
        WHEN new.action = 'reopen' AND json_extract(new.changes, '$.reply_sent[0]') IS NOT NULL
    BEGIN
        {_months_replies("(SELECT substr(received, 1, 7) FROM cases WHERE id = new.case_id)", "1")}
    END;
    CREATE TRIGGER figures_case_moved AFTER UPDATE OF received ON cases
        WHEN substr(old.received, 1, 7) != substr(new.received, 1, 7)
    BEGIN
        {_months_replies("substr(old.received, 1, 7)", "-" + _CASE_SET_ASIDE)}
        {_months_replies("substr(new.received, 1, 7)", _CASE_SET_ASIDE)}
    END;
    DELETE FROM figures_replies;
    {COUNT_SET_ASIDE};

    CREATE INDEX cases_ombudsman ON cases(ombudsman_referred)
        WHERE ombudsman_referred IS NOT NULL;
"""


# Migration 27 — a case updated with its watched columns as they were (retention blanking a
# closed case's words, a correction of its subject) counts for what it counted for: its
# contribution is no longer taken away and added back (ten statements each way).
_ANY_WATCHED_CHANGED = " OR ".join(f"old.{name} IS NOT new.{name}" for name in _WATCHED.split(", "))
MIGRATION_27 = f"""
    DROP TRIGGER figures_case_before;
    DROP TRIGGER figures_case_after;
    {_update_triggers(DIMENSIONS, f" AND ({_ANY_WATCHED_CHANGED})")}
"""
