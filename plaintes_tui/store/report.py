"""The yearly figures, from SQL aggregates over cases received in a period.

Every figure is a count grouped in SQL (an index range over the date of receipt), never a
Python loop over cases: a million cases cost a few scans, not a million objects. The keys of
the result are stable: they are the JSON of ``plaintes report`` and documented in the README.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypedDict

from plaintes_tui.domain.cases import (
    ACK_NOT_OWED,
    Admissibility,
    Channel,
    NetworkCategory,
    Outcome,
)
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


class Spread(TypedDict):
    median: int | None
    p90: int | None


class AgentLoad(TypedDict):
    handled: int
    overdue: int


class MonthOnTime(TypedDict):
    acknowledged_pct: float | None
    replied_pct: float | None
    acknowledged: list[int]  # on time, counted
    replied: list[int]


class ImprovementItem(TypedDict):
    reference: str
    category: str  # the network's category, "" when unclassified
    action: str


PeriodText = TypedDict("PeriodText", {"from": str, "to": str})


class Report(TypedDict):
    """Every figure of the yearly report (``plaintes report --format json`` writes it as is)."""

    period: PeriodText
    as_of: str
    received_total: int
    complaints_received: int
    non_complaints_received: int
    anonymous_received: int
    by_channel: dict[str, int]
    by_month: dict[str, dict[str, int]]
    admissibility: dict[str, int]
    inadmissible_total: int
    forwarded_other_institution: int
    outcomes: dict[str, dict[str, int]]
    acknowledgements_due: int
    acknowledged_within_deadline: int
    acknowledged_within_deadline_pct: float | None
    replies_due: int
    replied_within_deadline: int
    replied_within_deadline_pct: float | None
    replied_within_deadline_raw_pct: float | None
    replies_sent: int
    days_to_acknowledge: Spread
    days_to_reply: Spread
    open: int
    overdue: int
    ombudsman: int
    improvement_actions: int
    on_time_by_month: dict[str, MonthOnTime]
    improvement_action_list: list[ImprovementItem]
    by_category: dict[str, int]
    by_language: dict[str, int]
    per_agent: dict[str, AgentLoad]
    unassigned: AgentLoad


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _percentile(histogram: Iterable[tuple[int, int]], pct: float) -> int | None:
    """The ``pct``-th percentile of values given as (value, how many) pairs."""
    pairs = sorted((int(value), int(count)) for value, count in histogram if value is not None)
    total = sum(count for _, count in pairs)
    if not total:
        return None
    rank = max(1, -(-total * pct // 100))  # nearest-rank definition
    seen = 0
    for value, count in pairs:
        seen += count
        if seen >= rank:
            return value
    return pairs[-1][0]


_LIVE_FIGURES = (
    "ack_counted",
    "ack_counted AND acknowledgement_sent <= acknowledgement_due",
    "reply_counted",
    "reply_counted AND reply_sent <= reply_due",
    "reply_counted_raw AND reply_sent <= reply_due_original",
    "reply_counted_raw",
    "next_due IS NOT NULL",
    "next_due IS NOT NULL AND next_due < :day",
    "ombudsman_referred IS NOT NULL",
    "improvement_action IS NOT NULL AND improvement_action != ''",
    "anonymous",
)
_LIVE_CUBE = (
    "SELECT substr(received, 1, 7), channel, category, language, "
    "coalesce(admissibility, 'not_checked'), coalesce(network_category, :unclassified), "
    "coalesce(outcome, ''), coalesce(assigned_to, ''), count(*), "
    + ", ".join(f"coalesce(sum({figure}), 0)" for figure in _LIVE_FIGURES)
    + " "
    # An acknowledgement not owed (anonymous, no way to answer) is no acknowledgement.
    "FROM (SELECT *, ((acknowledgement_sent IS NOT NULL OR acknowledgement_due < :day) "
    f"AND coalesce(acknowledgement_means, '') != '{ACK_NOT_OWED}') AS ack_counted, "
    "(reply_due_original IS NOT NULL AND (reply_sent IS NOT NULL OR "
    "(reply_due < :day AND next_due IS NOT NULL "
    f"AND status NOT IN {WAITING}))) AS reply_counted, "
    # Raw: as if no pause had happened — due on the original date, paused or not.
    "(reply_due_original IS NOT NULL AND (reply_sent IS NOT NULL OR "
    "(reply_due_original < :day AND next_due IS NOT NULL))) AS reply_counted_raw "
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
class _Plan:
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


def _plan(store: Store, period: Period) -> _Plan:
    plan = _Plan()
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
class _Tallies:
    """The cases of a period counted by what the report breaks them down by."""

    # (month, channel) → cases, the clocks' figures (counted, on time), open, overdue,
    # ombudsman, improvement actions, anonymous: in the order of _FIGURES.
    months: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    # dimension → (value, detail) → cases; an empty agent is nobody, an empty outcome none.
    by: dict[str, Counter[tuple[str, str]]] = field(
        default_factory=lambda: {name: Counter() for name in DIMENSIONS}
    )
    overdue_by_agent: Counter[str] = field(default_factory=Counter)
    # (month, channel) → messages that were no complaint: left out of complaints by channel.
    non_complaints: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add_month(self, month: str, channel: str, figures: Iterable[int], sign: int = 1) -> None:
        sums = self.months.setdefault((month, channel), [0] * len(_FIGURES))
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


_FIGURES = (*SUMS[:7], "open", "overdue", *SUMS[7:])


def _tallies(store: Store, plan: _Plan, day: str) -> _Tallies:
    """The period's cases counted: kept sums of settled cases for whole months, the rest
    grouped live (less the days left out of a month read from the kept sums)."""
    q = store.connection.execute
    tallies = _Tallies()

    def live(start: date, end: date, only: str = "") -> list[Any]:
        values = {"day": day, "start": start.isoformat(), "end": end.isoformat()}
        return q(_LIVE_CUBE.format(only=only), {**values, "unclassified": UNCLASSIFIED}).fetchall()

    if plan.kept and plan.months:
        columns = ", ".join(name if name in SUMS else "0" for name in _FIGURES)
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


def _days(store: Store, plan: _Plan, kind: str) -> list[tuple[int, int]]:
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


def _referred(store: Store, period: Period) -> int:
    """Referrals to the Ombudsman made in the period, whenever the case was received: a year
    published does not change when an older case is referred later."""
    (count,) = store.connection.execute(
        "SELECT count(*) FROM cases WHERE ombudsman_referred BETWEEN ? AND ?",
        (period.start.isoformat(), period.end.isoformat()),
    ).fetchone()
    return int(count)


def _replies(store: Store, plan: _Plan) -> int:
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


def _channels_and_months(
    months: dict[tuple[str, str], list[int]], non_complaints: Counter[tuple[str, str]]
) -> tuple[dict[str, int], dict[str, dict[str, int]], dict[str, list[int]]]:
    """Complaints (not the messages that were none) by channel, by month (and channel), and
    each month's clocks counted and on time (acknowledgements counted, on time, replies
    counted, on time)."""
    by_month: dict[str, dict[str, int]] = {}
    on_time: dict[str, list[int]] = {}
    by_channel = {channel.value: 0 for channel in Channel}
    for (month, channel), figures in months.items():
        entry = by_month.setdefault(month, {"total": 0, **{c.value: 0 for c in Channel}})
        complaints = figures[0] - non_complaints[month, channel]
        entry[channel] += complaints
        entry["total"] += complaints
        clocks = on_time.setdefault(month, [0, 0, 0, 0])
        for index in range(4):
            clocks[index] += figures[1 + index]
        by_channel[channel] += complaints
    return by_channel, dict(sorted(by_month.items())), on_time


def _admissibility(by: dict[str, Counter[tuple[str, str]]]) -> dict[str, int]:
    admissibility = {a.value: 0 for a in Admissibility} | {"not_checked": 0}
    return admissibility | {decision: count for (decision, _), count in by["decision"].items()}


def _outcomes(by: dict[str, Counter[tuple[str, str]]]) -> dict[str, dict[str, int]]:
    """Founded or not, by the network's category (unclassified included)."""
    outcomes = {
        category: {outcome.value: 0 for outcome in Outcome}
        for category in [*(c.value for c in NetworkCategory), UNCLASSIFIED]
    }
    for (network, outcome), count in by["outcome"].items():
        if outcome:
            outcomes[network][outcome] += count
    return outcomes


def _ranked(counts: Counter[tuple[str, str]]) -> dict[str, int]:
    """Largest first, then by name."""
    flat = {value: count for (value, _), count in counts.items()}
    return dict(sorted(flat.items(), key=lambda item: (-item[1], item[0])))


def _agents(
    by: dict[str, Counter[tuple[str, str]]], tallies: _Tallies
) -> tuple[dict[str, AgentLoad], AgentLoad]:
    """Each agent's cases handled and overdue, and the cases nobody was given."""
    agents = {
        agent: AgentLoad(handled=count, overdue=tallies.overdue_by_agent[agent])
        for (agent, _), count in by["agent"].items()
    }
    unassigned = agents.pop("", AgentLoad(handled=0, overdue=0))
    return dict(sorted(agents.items())), unassigned


def _improvements(store: Store, period: Period) -> list[ImprovementItem]:
    return [
        {"reference": reference, "category": network or "", "action": action}
        for reference, network, action in store.connection.execute(
            "SELECT reference, network_category, improvement_action FROM cases "
            "WHERE received BETWEEN ? AND ? AND improvement_action IS NOT NULL "
            "AND improvement_action != '' ORDER BY reference",
            period.params,
        )
    ]


def _on_time_by_month(on_time: dict[str, list[int]]) -> dict[str, MonthOnTime]:
    return {
        month: {
            "acknowledged_pct": _pct(ack_on, ack_counted),
            "replied_pct": _pct(reply_on, reply_counted),
            "acknowledged": [ack_on, ack_counted],
            "replied": [reply_on, reply_counted],
        }
        for month, (ack_counted, ack_on, reply_counted, reply_on) in sorted(on_time.items())
    }


def _spread(days: list[tuple[int, int]]) -> Spread:
    return {"median": _percentile(days, 50), "p90": _percentile(days, 90)}


# The procedure's grouping: three things are "pas recevable"; another institution's and a
# request that is no complaint are forwarded.
_NOT_ADMISSIBLE = (
    Admissibility.CONTESTED_DECISION,
    Admissibility.DISPUTE,
    Admissibility.REDIRECTED_DG_HANDICAP,
)


def build_report(store: Store, period: Period, today: date) -> Report:
    """Every figure of the yearly report for cases received in ``period``, as of ``today``.

    A clock counts once it has run its course: sent, or due and not sent (late); a paused or
    incomplete case's reply clock is not running."""
    day = today.isoformat()
    plan = _plan(store, period)
    tallies = _tallies(store, plan, day)
    # Days left out are subtracted: what comes to nothing is not shown.
    months = {key: sums for key, sums in sorted(tallies.months.items()) if sums[0]}
    columns = [sum(column) for column in zip(*months.values(), strict=True)]
    total = dict(zip(_FIGURES, columns or [0] * len(_FIGURES), strict=True))
    by_channel, by_month, on_time = _channels_and_months(months, tallies.non_complaints)
    by = {name: +counts for name, counts in tallies.by.items()}
    admissibility = _admissibility(by)
    per_agent, unassigned = _agents(by, tallies)
    non_complaints = admissibility[Admissibility.NOT_A_COMPLAINT.value]
    reply_days = _days(store, plan, "reply")
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "as_of": day,
        "received_total": total["cases"],
        "complaints_received": total["cases"] - non_complaints,
        "non_complaints_received": non_complaints,
        "anonymous_received": total["anonymous"],
        "by_channel": by_channel,
        "by_month": by_month,
        "admissibility": admissibility,
        "inadmissible_total": sum(admissibility[a.value] for a in _NOT_ADMISSIBLE),
        "forwarded_other_institution": admissibility[Admissibility.OTHER_INSTITUTION.value],
        "outcomes": _outcomes(by),
        "acknowledgements_due": total["ack_counted"],
        "acknowledged_within_deadline": total["ack_on_time"],
        "acknowledged_within_deadline_pct": _pct(total["ack_on_time"], total["ack_counted"]),
        "replies_due": total["reply_counted"],
        "replied_within_deadline": total["reply_on_time"],
        "replied_within_deadline_pct": _pct(total["reply_on_time"], total["reply_counted"]),
        "replied_within_deadline_raw_pct": _pct(
            total["reply_on_time_raw"], total["reply_counted_raw"]
        ),
        "replies_sent": sum(n for _, n in reply_days) + _replies(store, plan),
        "days_to_acknowledge": _spread(_days(store, plan, "ack")),
        "days_to_reply": _spread(reply_days),
        "open": total["open"],
        "overdue": total["overdue"],
        "ombudsman": _referred(store, period),
        "improvement_actions": total["improvement"],
        "on_time_by_month": _on_time_by_month(on_time),
        "improvement_action_list": _improvements(store, period),
        "by_category": _ranked(by["category"]),
        "by_language": _ranked(by["language"]),
        "per_agent": per_agent,
        "unassigned": unassigned,
    }
