"""How a period of the report is read: the kept sums of settled cases for whole months (see
``store/figures.py``), the cases not yet settled grouped live, and a month taken only in part
read live or as its sums less the days left out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from plaintes_tui.domain.cases import ACK_NOT_OWED, Admissibility
from plaintes_tui.store.database import Store
from plaintes_tui.store.figures import DIMENSIONS, SET_ASIDE, SUMS, UNSETTLED
from plaintes_tui.store.sql_lists import WAITING

UNCLASSIFIED = "unclassified"


@dataclass(frozen=True)
class Period:
    start: date  # first day of receipt included
    end: date  # last day of receipt included

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def params(self) -> tuple[str, str]:
        return self.start.isoformat(), self.end.isoformat()


# A case whose own clocks still run (a closed case may wait on the Ombudsman: not open).
_RUNNING = "(next_due IS NOT NULL AND status != 'closed')"
_LIVEFIGURES = (
    "ack_counted",
    "ack_counted AND acknowledgement_sent <= acknowledgement_due",
    "reply_counted",
    "reply_counted AND reply_sent <= reply_due",
    "reply_counted_raw AND reply_sent <= reply_due_original",
    "reply_counted_raw",
    _RUNNING,
    f"{_RUNNING} AND next_due < :day",
    "ombudsman_referred IS NOT NULL",
    "improvement_action IS NOT NULL AND improvement_action != ''",
    "anonymous",
)
_LIVE_CUBE = (
    "SELECT substr(received, 1, 7), channel, category, language, "
    "coalesce(admissibility, 'not_checked'), coalesce(network_category, :unclassified), "
    "coalesce(outcome, ''), coalesce(assigned_to, ''), count(*), "
    + ", ".join(f"coalesce(sum({figure}), 0)" for figure in _LIVEFIGURES)
    + " "
    # An acknowledgement not owed (anonymous, no way to answer) is no acknowledgement.
    "FROM (SELECT *, ((acknowledgement_sent IS NOT NULL OR acknowledgement_due < :day) "
    f"AND coalesce(acknowledgement_means, '') != '{ACK_NOT_OWED}') AS ack_counted, "
    "(reply_due_original IS NOT NULL AND (reply_sent IS NOT NULL OR "
    f"(reply_due < :day AND {_RUNNING} "
    f"AND status NOT IN {WAITING}))) AS reply_counted, "
    # Raw: as if no pause had happened — due on the original date, paused or not.
    "(reply_due_original IS NOT NULL AND (reply_sent IS NOT NULL OR "
    f"(reply_due_original < :day AND {_RUNNING}))) AS reply_counted_raw "
    "FROM cases WHERE received BETWEEN :start AND :end {only}) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
)
_LIVE_DAYS = {
    "ack": "SELECT CAST(julianday(acknowledgement_sent) - julianday(received) AS INTEGER), "
    "count(*) FROM cases WHERE received BETWEEN ? AND ? AND acknowledgement_sent IS NOT NULL "
    f"AND coalesce(acknowledgement_means, '') != '{ACK_NOT_OWED}' GROUP BY 1",
    "reply": "SELECT CAST(julianday(reply_sent) - julianday(received) AS INTEGER), count(*) "
    "FROM cases WHERE received BETWEEN ? AND ? AND reply_sent IS NOT NULL GROUP BY 1",
}
# Replies, not cases: a reopened case answered twice counts two replies.
_LIVE_REPLIES = (
    f"SELECT count(*) FROM journal WHERE {SET_ASIDE} AND case_id IN "
    "(SELECT id FROM cases WHERE received BETWEEN ? AND ?)"
)


@dataclass
class Plan:
    """How to read a period: kept sums for whole months, live scans for the rest.

    Each month of the period is read from the kept sums of settled cases plus a live read of
    its unsettled cases (the days ``kept``), or, when the period takes only part of it and
    the part left out holds fewer cases, the same less a live read of the days left out
    (``less``); else it is read live, every case (``live``)."""

    kept: tuple[date, date] | None = None
    less: list[tuple[date, date]] = field(default_factory=list)
    live: list[tuple[date, date]] = field(default_factory=list)

    @property
    def months(self) -> tuple[str, str] | None:
        """The months whose kept sums are read, ``("2026-01", "2026-12")``."""
        if self.kept is None:
            return None
        return self.kept[0].isoformat()[:7], self.kept[1].isoformat()[:7]


def plan_of(store: Store, period: Period) -> Plan:
    plan = Plan()
    kept: list[date] = []
    month = date(period.start.year, period.start.month, 1)
    while month <= period.end:
        following = (month + timedelta(days=32)).replace(day=1)
        first, last = max(month, period.start), min(following - timedelta(days=1), period.end)
        left_out = [
            (a, b)
            for a, b in (
                (month, first - timedelta(days=1)),
                (last + timedelta(days=1), following - timedelta(days=1)),
            )
            if a <= b
        ]
        if left_out and _cases_between(store, first, last) < sum(
            _cases_between(store, a, b) for a, b in left_out
        ):
            plan.live.append((first, last))
        else:
            plan.less.extend(left_out)
            kept.extend((first, last))
        month = following
    if kept:
        plan.kept = (kept[0], kept[-1])
    return plan


def _cases_between(store: Store, start: date, end: date) -> int:
    (count,) = store.connection.execute(
        "SELECT count(*) FROM cases WHERE received BETWEEN ? AND ?",
        (start.isoformat(), end.isoformat()),
    ).fetchone()
    return int(count)


@dataclass
class Tallies:
    """The cases of a period counted by what the report breaks them down by."""

    # (month, channel) → cases, the clocks' figures (counted, on time), open, overdue,
    # ombudsman, improvement actions, anonymous: in the order of FIGURES.
    months: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    # dimension → (value, detail) → cases; an empty agent is nobody, an empty outcome none.
    by: dict[str, Counter[tuple[str, str]]] = field(
        default_factory=lambda: {name: Counter() for name in DIMENSIONS}
    )
    overdue_by_agent: Counter[str] = field(default_factory=Counter)
    # (month, channel) → messages that were no complaint: left out of complaints by channel.
    non_complaints: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add_month(self, month: str, channel: str, figures: Iterable[int], sign: int = 1) -> None:
        sums = self.months.setdefault((month, channel), [0] * len(FIGURES))
        for index, figure in enumerate(figures):
            sums[index] += sign * figure

    def add_group(self, row: tuple[Any, ...], sign: int = 1) -> None:
        """A group of cases read live (negated, ``sign`` -1, for days left out)."""
        month, channel, category, language, decision, network, outcome, agent, *figures = row
        self.add_month(month, channel, figures, sign)
        count = sign * figures[0]
        for name, key in (
            ("decision", (decision, "")),
            ("outcome", (network, outcome)),
            ("category", (category, "")),
            ("language", (language, "")),
            ("agent", (agent, "")),
            ("channel", (channel, decision)),
        ):
            self.by[name][key] += count
        if decision == Admissibility.NOT_A_COMPLAINT.value:
            self.non_complaints[month, channel] += count
        self.overdue_by_agent[agent] += sign * figures[8]


FIGURES = (*SUMS[:7], "open", "overdue", *SUMS[7:])


def tallies_of(store: Store, plan: Plan, day: str) -> Tallies:
    """The period's cases counted: kept sums of settled cases for whole months, the rest
    grouped live (less the days left out of a month read from the kept sums)."""
    q = store.connection.execute
    tallies = Tallies()

    def live(start: date, end: date, only: str = "") -> list[Any]:
        values = {"day": day, "start": start.isoformat(), "end": end.isoformat()}
        return q(_LIVE_CUBE.format(only=only), {**values, "unclassified": UNCLASSIFIED}).fetchall()

    if plan.kept and plan.months:
        columns = ", ".join(name if name in SUMS else "0" for name in FIGURES)
        for month, channel, *figures in q(
            f"SELECT month, channel, {columns} FROM figures_month WHERE month BETWEEN ? AND ?",
            plan.months,
        ):
            tallies.add_month(month, channel, figures)
        for name, value, detail, count in q(
            "SELECT dimension, value, detail, sum(cases) FROM figures_by "
            "WHERE month BETWEEN ? AND ? GROUP BY 1, 2, 3",
            plan.months,
        ):
            tallies.by[name][value, detail] += count
        for month, channel, count in q(
            "SELECT month, value, sum(cases) FROM figures_by WHERE dimension = 'channel' "
            "AND detail = ? AND month BETWEEN ? AND ? GROUP BY 1, 2",
            (Admissibility.NOT_A_COMPLAINT.value, *plan.months),
        ):
            tallies.non_complaints[month, channel] += count
        for row in live(*plan.kept, only=f"AND {UNSETTLED}"):
            tallies.add_group(row)
    for start, end in plan.less:
        for row in live(start, end, only=f"AND NOT {UNSETTLED}"):
            tallies.add_group(row, -1)
    for start, end in plan.live:
        for row in live(start, end):
            tallies.add_group(row)
    return tallies


def days_of(store: Store, plan: Plan, kind: str) -> list[tuple[int, int]]:
    """How many days each acknowledgement or reply took, as (days, how many) pairs."""
    q = store.connection.execute
    counts: Counter[int] = Counter()
    if plan.months:
        counts.update(
            dict(
                q(
                    "SELECT days, sum(cases) FROM figures_days "
                    "WHERE kind = ? AND month BETWEEN ? AND ? GROUP BY days",
                    (kind, *plan.months),
                ).fetchall()
            )
        )
    for start, end in plan.less:
        counts.subtract(dict(q(_LIVE_DAYS[kind], (start.isoformat(), end.isoformat()))))
    for start, end in plan.live:
        counts.update(dict(q(_LIVE_DAYS[kind], (start.isoformat(), end.isoformat()))))
    return [(days, count) for days, count in counts.items() if count > 0]


def referred(store: Store, period: Period) -> int:
    """Referrals to the Ombudsman made in the period, whenever the case was received: a year
    published does not change when an older case is referred later."""
    (count,) = store.connection.execute(
        "SELECT count(*) FROM cases WHERE ombudsman_referred BETWEEN ? AND ?",
        (period.start.isoformat(), period.end.isoformat()),
    ).fetchone()
    return int(count)


def by_service(store: Store, period: Period, received: int) -> dict[str, int]:
    """Cases received in the period by the service they are about (a code of the settings),
    most first; "" for those whose service is not set (yet)."""
    rows = store.connection.execute(
        "SELECT service, count(*) FROM cases WHERE service IS NOT NULL "
        "AND received BETWEEN ? AND ? GROUP BY service ORDER BY 2 DESC, 1",
        (period.start.isoformat(), period.end.isoformat()),
    ).fetchall()
    counts = {str(code): int(count) for code, count in rows}
    counts[""] = received - sum(counts.values())
    return counts


def replies_set_aside(store: Store, plan: Plan) -> int:
    """Replies a reopening set aside (the journal keeps them), for the cases of the period."""
    q = store.connection.execute
    total = 0
    if plan.months:
        (kept,) = q(
            "SELECT coalesce(sum(replies), 0) FROM figures_replies WHERE month BETWEEN ? AND ?",
            plan.months,
        ).fetchone()
        total += int(kept)
    for sign, spans in ((-1, plan.less), (1, plan.live)):
        for start, end in spans:
            total += sign * int(
                q(_LIVE_REPLIES, (start.isoformat(), end.isoformat())).fetchone()[0]
            )
    return total
