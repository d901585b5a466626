"""The deadline queue: open cases, most urgent first, read a window at a time.

Most urgent first is the order of ``next_due`` (the earliest running due date), then the
reference; a partial index on those two columns makes every window an index range, so the cost
follows the window's size, not the store's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from plaintes_tui.domain.cases import ClockState, Status
from plaintes_tui.domain.deadlines import Band, DeadlineCalculator
from plaintes_tui.store.database import Store
from plaintes_tui.store.search import found_clause
from plaintes_tui.store.sql_lists import WAITING

QUEUE_COLUMNS = (
    "cases.id, cases.version, cases.reference, cases.received, cases.channel, cases.category, "
    "cases.status, cases.admissibility, cases.assigned_to, cases.urgent, "
    "cases.contact_incomplete, cases.acknowledgement_due, cases.acknowledgement_sent, "
    "cases.reply_due, cases.reply_due_original, cases.reply_sent, cases.next_due, "
    "cases.ombudsman_referred, complainants.last_name, complainants.first_name, "
    "cases.ombudsman_due"
)


# The agent filter's value for the cases assigned to nobody.
UNASSIGNED = ""


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows; the default is every open case."""

    overdue_only: bool = False
    agent: str | None = None  # a login, or UNASSIGNED
    channel: str | None = None
    status: str | None = None
    unchecked_only: bool = False
    search: str = ""
    due_today: bool = False  # an acknowledgement or a reply due today
    paused_over_days: int | None = None  # the reply clock paused for longer than this
    open_over_days: int | None = None  # received longer ago than this, still open
    service: str | None = None  # the service concerned, a code of the settings


# The supervisor's saved views (v on the queue cycles them; the palette and
# `plaintes queue --view` name them).
LONG_PAUSE_DAYS = 30
OLD_CASE_DAYS = 60
VIEWS: dict[str, QueueFilter] = {
    "due_today": QueueFilter(due_today=True),
    "unassigned": QueueFilter(agent=UNASSIGNED),
    "long_paused": QueueFilter(paused_over_days=LONG_PAUSE_DAYS),
    "old_open": QueueFilter(open_over_days=OLD_CASE_DAYS),
}


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One open case as the queue shows it: its line, and what its colours are computed from."""

    id: int
    version: int
    reference: str
    received: date
    channel: str
    category: str
    status: str
    admissibility: str | None
    assigned_to: str | None
    urgent: bool
    contact_incomplete: bool
    complainant: str
    clocks: ClockState
    reply_due_original: date | None
    next_due: date
    ombudsman: bool = False  # referred to the Federal Ombudsman (the second line)

    @classmethod
    def from_tuple(cls, values: tuple[Any, ...]) -> QueueRow:
        (
            id_,
            version,
            reference,
            received,
            channel,
            category,
            status,
            admissibility,
            assigned_to,
            urgent,
            contact_incomplete,
            ack_due,
            ack_sent,
            reply_due,
            reply_due_original,
            reply_sent,
            next_due,
            ombudsman_referred,
            last_name,
            first_name,
            ombudsman_due,
        ) = values
        return cls(
            id=id_,
            version=version,
            reference=reference,
            received=date.fromisoformat(received),
            channel=channel,
            category=category,
            status=status,
            admissibility=admissibility,
            assigned_to=assigned_to,
            urgent=bool(urgent),
            contact_incomplete=bool(contact_incomplete),
            complainant=f"{last_name.upper()} {first_name}".strip(),
            clocks=ClockState(
                status=Status(status),
                acknowledgement_due=date.fromisoformat(ack_due),
                acknowledgement_sent=date.fromisoformat(ack_sent) if ack_sent else None,
                reply_due=date.fromisoformat(reply_due) if reply_due else None,
                reply_sent=date.fromisoformat(reply_sent) if reply_sent else None,
                ombudsman_due=date.fromisoformat(ombudsman_due) if ombudsman_due else None,
            ),
            reply_due_original=date.fromisoformat(reply_due_original)
            if reply_due_original
            else None,
            next_due=date.fromisoformat(next_due),
            ombudsman=ombudsman_referred is not None,
        )

    def acknowledgement_band(self, calculator: DeadlineCalculator, today: date) -> Band:
        return self.clocks.acknowledgement_band(calculator, today)

    def reply_band(self, calculator: DeadlineCalculator, today: date) -> Band | None:
        return self.clocks.reply_band(calculator, today)

    @property
    def ombudsman_first(self) -> bool:
        """Whether the Ombudsman's deadline is the case's nearest clock (then the queue shows
        it where the reply's stands)."""
        due = self.clocks.ombudsman_due
        return due is not None and due == self.next_due


def filter_clause(flt: QueueFilter, today: date) -> tuple[str, list[Any]]:
    """The WHERE clause (and its parameters) that selects the open cases ``flt`` keeps."""
    clauses = ["cases.next_due IS NOT NULL"]
    params: list[Any] = []
    if flt.overdue_only:
        clauses.append("cases.next_due < ?")
        params.append(today.isoformat())
    if flt.agent == UNASSIGNED:
        clauses.append("cases.assigned_to IS NULL")
    elif flt.agent is not None:
        clauses.append("cases.assigned_to = ?")
        params.append(flt.agent)
    if flt.channel is not None:
        clauses.append("cases.channel = ?")
        params.append(flt.channel)
    if flt.status is not None:
        clauses.append("cases.status = ?")
        params.append(flt.status)
    if flt.service is not None:
        clauses.append("cases.service = ?")
        params.append(flt.service)
    if flt.unchecked_only:
        clauses.append("cases.admissibility IS NULL")
    if flt.due_today:
        clauses.append(
            "((cases.acknowledgement_sent IS NULL AND cases.acknowledgement_due = ?) OR "
            f"(cases.reply_sent IS NULL AND cases.status NOT IN {WAITING} "
            "AND cases.reply_due = ?))"
        )
        params += [today.isoformat(), today.isoformat()]
    if flt.paused_over_days is not None:
        clauses.append(
            f"cases.status IN {WAITING} AND cases.id IN (SELECT case_id FROM "
            "reply_pauses WHERE ended IS NULL AND started < ?)"
        )
        params.append((today - timedelta(days=flt.paused_over_days)).isoformat())
    if flt.open_over_days is not None:
        clauses.append("cases.received < ?")
        params.append((today - timedelta(days=flt.open_over_days)).isoformat())
    found, found_params = found_clause(flt.search)
    if found:
        clauses.append(found)
        params += found_params
    return " AND ".join(clauses), params


_FROM = "FROM cases JOIN complainants ON complainants.id = cases.complainant_id"


def queue_window(
    store: Store, flt: QueueFilter, today: date, offset: int, limit: int
) -> list[QueueRow]:
    """Rows ``offset`` to ``offset + limit`` of the queue, most urgent first."""
    where, params = filter_clause(flt, today)
    cursor = store.connection.execute(
        f"SELECT {QUEUE_COLUMNS} {_FROM} WHERE {where} "
        "ORDER BY cases.next_due, cases.reference LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [QueueRow.from_tuple(values) for values in cursor]


def queue_tail(store: Store, flt: QueueFilter, today: date, limit: int) -> list[QueueRow]:
    """The last ``limit`` rows of the queue, in queue order, read backwards from the end."""
    where, params = filter_clause(flt, today)
    cursor = store.connection.execute(
        f"SELECT {QUEUE_COLUMNS} {_FROM} WHERE {where} "
        "ORDER BY cases.next_due DESC, cases.reference DESC LIMIT ?",
        (*params, limit),
    )
    return [QueueRow.from_tuple(values) for values in reversed(cursor.fetchall())]


def queue_count(store: Store, flt: QueueFilter, today: date) -> int:
    where, params = filter_clause(flt, today)
    join = _FROM if "complainants." in where else "FROM cases"
    (count,) = store.connection.execute(f"SELECT count(*) {join} WHERE {where}", params).fetchone()
    return int(count)


def iter_queue(store: Store, flt: QueueFilter, today: date) -> Iterator[QueueRow]:
    where, params = filter_clause(flt, today)
    cursor = store.connection.execute(
        f"SELECT {QUEUE_COLUMNS} {_FROM} WHERE {where} ORDER BY cases.next_due, cases.reference",
        params,
    )
    for values in cursor:
        yield QueueRow.from_tuple(values)


@dataclass(frozen=True)
class QueueCounts:
    """The queue's header figures: open cases, those late, those due today, those unchecked."""

    open: int
    overdue: int
    acknowledgements_overdue: int
    replies_overdue: int
    due_today: int
    unchecked: int


def waiting_count(store: Store) -> tuple[int, int]:
    """(messages in the inbox, messages in quarantine): the queue's header shows them beside
    its counts (read here, not in ``mailbox.py``, which the first screen does not load)."""
    counts = dict(
        store.connection.execute(
            "SELECT state, count(*) FROM mail_messages WHERE state IN ('inbox', 'quarantined') "
            "GROUP BY state"
        ).fetchall()
    )
    return int(counts.get("inbox", 0)), int(counts.get("quarantined", 0))


def queue_counts(store: Store, today: date) -> QueueCounts:
    """The header's figures, each from a partial index."""
    day = today.isoformat()
    connection = store.connection

    def one(sql: str, *params: Any) -> int:
        return int(connection.execute(sql, params).fetchone()[0])

    return QueueCounts(
        open=one("SELECT count(*) FROM cases WHERE next_due IS NOT NULL"),
        # A case with both clocks late counts once, as in the report's "overdue".
        overdue=one(
            "SELECT count(*) FROM cases INDEXED BY cases_queue "
            "WHERE next_due IS NOT NULL AND next_due < ?",
            day,
        ),
        acknowledgements_overdue=one(
            "SELECT count(*) FROM cases INDEXED BY cases_acknowledgement_pending "
            "WHERE next_due IS NOT NULL AND acknowledgement_sent IS NULL "
            "AND acknowledgement_due < ?",
            day,
        ),
        replies_overdue=one(
            "SELECT count(*) FROM cases INDEXED BY cases_reply_pending "
            "WHERE next_due IS NOT NULL AND reply_sent IS NULL "
            f"AND status NOT IN {WAITING} "
            "AND reply_due < ?",
            day,
        ),
        due_today=one(
            "SELECT count(*) FROM ("
            "SELECT id FROM cases INDEXED BY cases_acknowledgement_pending "
            "WHERE next_due IS NOT NULL AND acknowledgement_sent IS NULL "
            "AND acknowledgement_due = ? UNION "
            "SELECT id FROM cases INDEXED BY cases_reply_pending "
            "WHERE next_due IS NOT NULL AND reply_sent IS NULL "
            f"AND status NOT IN {WAITING} "
            "AND reply_due = ?)",
            day,
            day,
        ),
        unchecked=one(
            "SELECT count(*) FROM cases WHERE next_due IS NOT NULL AND admissibility IS NULL"
        ),
    )


def open_case_agents(store: Store) -> list[str]:
    """The agents with open cases, in order: one index seek per agent, not a scan."""
    agents: list[str] = []
    while True:
        (following,) = store.connection.execute(
            "SELECT min(assigned_to) FROM cases INDEXED BY cases_queue_agent "
            "WHERE next_due IS NOT NULL AND assigned_to > ?",
            (agents[-1] if agents else "",),
        ).fetchone()
        if following is None:
            return agents
        agents.append(following)


def has_unassigned(store: Store) -> bool:
    """Whether any open case is assigned to nobody (an index seek)."""
    row = store.connection.execute(
        "SELECT 1 FROM cases INDEXED BY cases_queue_agent "
        "WHERE next_due IS NOT NULL AND assigned_to IS NULL LIMIT 1"
    ).fetchone()
    return row is not None


def last_change(store: Store, case_id: int | None = None) -> int:
    """Grows with every change to any case (each one writes a journal row), or to the one case
    ``case_id``: a cheap way (one index seek) for a screen to know whether to read again."""
    if case_id is None:
        (last,) = store.connection.execute("SELECT coalesce(max(id), 0) FROM journal").fetchone()
    else:
        (last,) = store.connection.execute(
            "SELECT coalesce(max(id), 0) FROM journal WHERE case_id = ?", (case_id,)
        ).fetchone()
    return int(last)
