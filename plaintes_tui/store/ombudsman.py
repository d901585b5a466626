"""The Ombudsman's file in the store (see ``domain/ombudsman.py``): migration 22, its reading,
its check and its figures.

The referral, the clock and the conclusion are columns of the case, written by the case's one
door and covered by its state digest. The requests are rows of ``ombudsman_requests``, written
in the transaction of the move that journals them (``ombudsman_request``,
``ombudsman_answered``), numbered in their case; triggers let a request change only by its
answer (once) or by retention's blanking of an anonymised case's texts, and ``verify`` holds
each row to the journal rows that made it.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TypedDict

from plaintes_tui.domain.ombudsman import AnswerMeans, OmbudsmanConclusion, OmbudsmanRequest

# 22 — the Ombudsman's file.
MIGRATION = """
ALTER TABLE cases ADD COLUMN ombudsman_reference TEXT;
ALTER TABLE cases ADD COLUMN ombudsman_due TEXT;
ALTER TABLE cases ADD COLUMN ombudsman_conclusion TEXT;
ALTER TABLE cases ADD COLUMN ombudsman_concluded TEXT;
ALTER TABLE cases ADD COLUMN ombudsman_recommendation TEXT;
CREATE INDEX cases_ombudsman_concluded ON cases(ombudsman_concluded)
    WHERE ombudsman_concluded IS NOT NULL;
CREATE TABLE ombudsman_requests (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    number INTEGER NOT NULL,            -- 1, 2, … in its case
    received TEXT NOT NULL,
    asked TEXT NOT NULL,
    due TEXT NOT NULL,
    answered TEXT,
    answer_means TEXT CHECK (answer_means IN ('letter', 'email')),
    answer_summary TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, number)
);
CREATE INDEX ombudsman_requests_received ON ombudsman_requests(received);
CREATE INDEX ombudsman_requests_answered ON ombudsman_requests(answered)
    WHERE answered IS NOT NULL;
CREATE INDEX journal_ombudsman ON journal(case_id)
    WHERE action IN ('ombudsman_request', 'ombudsman_answered');
CREATE TRIGGER ombudsman_requests_no_delete BEFORE DELETE ON ombudsman_requests
    BEGIN SELECT RAISE(ABORT, 'an Ombudsman request is kept'); END;
CREATE TRIGGER ombudsman_requests_no_update BEFORE UPDATE ON ombudsman_requests
    WHEN NOT (
        new.id = old.id AND new.case_id = old.case_id AND new.number = old.number
        AND new.received = old.received AND new.due = old.due
        AND (
            (old.answered IS NULL AND new.answered IS NOT NULL AND new.asked = old.asked)
            OR (new.answered IS old.answered AND new.answer_means IS old.answer_means
                AND new.asked = '' AND new.answer_summary = ''
                AND (SELECT anonymised_at FROM cases WHERE id = old.case_id) IS NOT NULL)
        )
    )
    BEGIN SELECT RAISE(ABORT, 'an Ombudsman request changes only by its answer'); END;
"""

INSERT_REQUEST = (
    "INSERT INTO ombudsman_requests (case_id, number, received, asked, due) VALUES (?, ?, ?, ?, ?)"
)
ANSWER_REQUEST = (
    "UPDATE ombudsman_requests SET answered = ?, answer_means = ?, answer_summary = ? "
    "WHERE case_id = ? AND number = ? AND answered IS NULL"
)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def requests_of(connection: sqlite3.Connection, case_id: int) -> list[OmbudsmanRequest]:
    """The case's requests, in the order they came."""
    rows = connection.execute(
        "SELECT number, received, asked, due, answered, answer_means, answer_summary "
        "FROM ombudsman_requests WHERE case_id = ? ORDER BY number",
        (case_id,),
    ).fetchall()
    return [
        OmbudsmanRequest(
            number=int(number),
            received=date.fromisoformat(received),
            asked=asked,
            due=date.fromisoformat(due),
            answered=_date(answered),
            answer_means=AnswerMeans(means) if means else None,
            answer_summary=summary or "",
        )
        for number, received, asked, due, answered, means, summary in rows
    ]


# Requests and the journal rows that made them, each without the other: a row inserted,
# answered or deleted behind the program's back (the journal records each request's number,
# day and deadline, and each answer's number and day).
_UNJOURNALED = """
SELECT c.reference, r.number FROM ombudsman_requests AS r JOIN cases AS c ON c.id = r.case_id
WHERE NOT EXISTS (
    SELECT 1 FROM journal AS j WHERE j.case_id = r.case_id AND j.action = 'ombudsman_request'
    AND json_extract(j.changes, '$.ombudsman_request[1].number') = r.number
    AND json_extract(j.changes, '$.ombudsman_request[1].received') = r.received
    AND json_extract(j.changes, '$.ombudsman_request[1].due') = r.due)
OR (r.answered IS NULL) = EXISTS (
    SELECT 1 FROM journal AS j WHERE j.case_id = r.case_id AND j.action = 'ombudsman_answered'
    AND json_extract(j.changes, '$.ombudsman_answer[1].number') = r.number
    AND json_extract(j.changes, '$.ombudsman_answer[1].answered') IS r.answered)
UNION
SELECT c.reference, json_extract(j.changes, '$.ombudsman_request[1].number')
FROM journal AS j JOIN cases AS c ON c.id = j.case_id
WHERE j.action = 'ombudsman_request' AND NOT EXISTS (
    SELECT 1 FROM ombudsman_requests AS r WHERE r.case_id = j.case_id
    AND r.number = json_extract(j.changes, '$.ombudsman_request[1].number'))
"""


def unjournaled_requests(connection: sqlite3.Connection) -> list[tuple[str, int]]:
    """(reference, number) of each request that does not match its journal."""
    return [(str(ref), int(number or 0)) for ref, number in connection.execute(_UNJOURNALED)]


class SecondLine(TypedDict):
    requests: int
    answered_on_time: int
    answered_late: int
    unanswered: int
    unanswered_overdue: int  # past their deadline on the report's day
    conclusions: dict[str, int]  # by the Ombudsman's scale
    recommendations: int


def second_line(connection: sqlite3.Connection, start: str, end: str, today: str) -> SecondLine:
    """The Ombudsman's figures of a period, each counted by its own date: requests by the day
    they were received (answered on time, late, not answered — of which past their deadline
    today), conclusions by the day they were given, by the Ombudsman's scale, and how many
    came with a recommendation."""
    requests = connection.execute(
        "SELECT count(*), coalesce(sum(answered <= due), 0), coalesce(sum(answered > due), 0), "
        "coalesce(sum(answered IS NULL), 0), coalesce(sum(answered IS NULL AND due < ?), 0) "
        "FROM ombudsman_requests WHERE received BETWEEN ? AND ?",
        (today, start, end),
    ).fetchone()
    concluded = dict(
        connection.execute(
            "SELECT ombudsman_conclusion, count(*) FROM cases "
            "WHERE ombudsman_concluded BETWEEN ? AND ? GROUP BY 1",
            (start, end),
        ).fetchall()
    )
    (recommendations,) = connection.execute(
        "SELECT count(*) FROM cases WHERE ombudsman_concluded BETWEEN ? AND ? "
        "AND coalesce(ombudsman_recommendation, '') != ''",
        (start, end),
    ).fetchone()
    return {
        "requests": int(requests[0]),
        "answered_on_time": int(requests[1]),
        "answered_late": int(requests[2]),
        "unanswered": int(requests[3]),
        "unanswered_overdue": int(requests[4]),
        "conclusions": {c.value: int(concluded.get(c.value, 0)) for c in OmbudsmanConclusion},
        "recommendations": int(recommendations),
    }
