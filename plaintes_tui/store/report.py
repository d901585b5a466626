"""The yearly figures, from SQL aggregates over cases received in a period.

Every figure is a count grouped in SQL (an index range over the date of receipt), never a
Python loop over cases: a million cases cost a few scans, not a million objects. The keys of
the result are stable: they are the JSON of ``plaintes report`` and documented in the README.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any, TypedDict

from plaintes_tui.domain.cases import (
    Admissibility,
    Channel,
    NetworkCategory,
    Outcome,
)
from plaintes_tui.store.database import Store
from plaintes_tui.store.improvements import actions_of_period
from plaintes_tui.store.ombudsman import SecondLine, second_line
from plaintes_tui.store.report_reading import (
    FIGURES,
    UNCLASSIFIED,
    Period,
    Tallies,
    by_service,
    days_of,
    plan_of,
    referred,
    replies_set_aside,
    tallies_of,
)

__all__ = ["UNCLASSIFIED", "Period", "Report", "build_report"]


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
    second_line: SecondLine  # the Ombudsman's requests and conclusions
    improvement_actions: int
    on_time_by_month: dict[str, MonthOnTime]
    improvement_action_list: list[ImprovementItem]
    # the actions as records (store/improvements.py): listed, by status, by service
    improvements: dict[str, Any]
    by_category: dict[str, int]
    by_service: dict[str, int]  # by code; "" for not set
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
    by: dict[str, Counter[tuple[str, str]]], tallies: Tallies
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
    plan = plan_of(store, period)
    tallies = tallies_of(store, plan, day)
    # Days left out are subtracted: what comes to nothing is not shown.
    months = {key: sums for key, sums in sorted(tallies.months.items()) if sums[0]}
    columns = [sum(column) for column in zip(*months.values(), strict=True)]
    total = dict(zip(FIGURES, columns or [0] * len(FIGURES), strict=True))
    by_channel, by_month, on_time = _channels_and_months(months, tallies.non_complaints)
    by = {name: +counts for name, counts in tallies.by.items()}
    admissibility = _admissibility(by)
    per_agent, unassigned = _agents(by, tallies)
    non_complaints = admissibility[Admissibility.NOT_A_COMPLAINT.value]
    reply_days = days_of(store, plan, "reply")
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
        "replies_sent": sum(n for _, n in reply_days) + replies_set_aside(store, plan),
        "days_to_acknowledge": _spread(days_of(store, plan, "ack")),
        "days_to_reply": _spread(reply_days),
        "open": total["open"],
        "overdue": total["overdue"],
        "ombudsman": referred(store, period),
        "second_line": second_line(store.connection, *period.params, today.isoformat()),
        "improvement_actions": total["improvement"],
        "on_time_by_month": _on_time_by_month(on_time),
        "improvement_action_list": _improvements(store, period),
        "improvements": actions_of_period(store, period.start, period.end),
        "by_category": _ranked(by["category"]),
        "by_service": by_service(store, period, total["cases"]),
        "by_language": _ranked(by["language"]),
        "per_agent": per_agent,
        "unassigned": unassigned,
    }
