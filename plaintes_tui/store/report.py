"""The yearly figures, from SQL aggregates over cases received in a period.

Every figure is a count grouped in SQL (an index range over the date of receipt), never a
Python loop over cases: a million cases cost a few scans, not a million objects. The keys of
the result are stable: they are the JSON of ``plaintes report`` and documented in the README.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from plaintes_tui.domain.cases import Admissibility, Channel, NetworkCategory, Outcome
from plaintes_tui.store.cases import ACK_NOT_OWED
from plaintes_tui.store.database import Store

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


def build_report(store: Store, period: Period, today: date) -> dict[str, Any]:
    """Every figure of the yearly report for cases received in ``period``, as of ``today``."""
    q = store.connection.execute
    where = "received BETWEEN ? AND ?"
    params = period.params
    day = today.isoformat()

    # One scan for every count: the cases grouped by everything the report breaks them down
    # by, each group with its clock figures; every table is then a sum over these groups.
    # A clock counts once it has run its course: sent, or due and not sent (late); a paused
    # or incomplete case's reply clock is not running.
    cube = q(
        "SELECT substr(received, 1, 7), channel, category, language, "
        "coalesce(admissibility, 'not_checked'), coalesce(network_category, :unclassified), "
        "outcome, assigned_to, count(*), sum(ack_counted), "
        "sum(ack_counted AND acknowledgement_sent <= acknowledgement_due), "
        "sum(reply_counted), sum(reply_counted AND reply_sent <= reply_due), "
        "sum(reply_counted_raw AND reply_sent <= reply_due_original), "
        "sum(reply_counted_raw), "
        "sum(next_due IS NOT NULL), sum(next_due IS NOT NULL AND next_due < :day), "
        "sum(ombudsman_referred IS NOT NULL), "
        "sum(improvement_action IS NOT NULL AND improvement_action != ''), sum(anonymous) "
        # An acknowledgement not owed (anonymous, no way to answer) is no acknowledgement.
        "FROM (SELECT *, ((acknowledgement_sent IS NOT NULL OR acknowledgement_due < :day) "
        f"AND coalesce(acknowledgement_means, '') != '{ACK_NOT_OWED}') AS ack_counted, "
        "(reply_due_original IS NOT NULL AND (reply_sent IS NOT NULL OR "
        "(reply_due < :day AND next_due IS NOT NULL "
        "AND status NOT IN ('paused', 'incomplete')))) AS reply_counted, "
        # Raw: as if no pause had happened — due on the original date, paused or not.
        "(reply_due_original IS NOT NULL AND (reply_sent IS NOT NULL OR "
        "(reply_due_original < :day AND next_due IS NOT NULL))) AS reply_counted_raw "
        "FROM cases WHERE received BETWEEN :start AND :end) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8",
        {"day": day, "start": params[0], "end": params[1], "unclassified": UNCLASSIFIED},
    ).fetchall()
    sums = [0] * 12
    on_time: dict[str, list[int]] = {}  # month → acknowledgements and replies counted, on time
    by_channel = {channel.value: 0 for channel in Channel}
    by_month: dict[str, dict[str, int]] = {}
    admissibility = {a.value: 0 for a in Admissibility}
    admissibility["not_checked"] = 0
    outcomes = {
        category: {outcome.value: 0 for outcome in Outcome}
        for category in [*(c.value for c in NetworkCategory), UNCLASSIFIED]
    }
    categories: dict[str, int] = {}
    languages: dict[str, int] = {}
    agents: dict[str | None, list[int]] = {}
    for month, channel, category, language, decision, network, outcome, agent, *figures in cube:
        count = int(figures[0])
        sums = [total + int(value or 0) for total, value in zip(sums, figures, strict=True)]
        entry = by_month.setdefault(month, {"total": 0, **dict.fromkeys(by_channel, 0)})
        entry[channel] += count
        entry["total"] += count
        clocks = on_time.setdefault(month, [0, 0, 0, 0])
        for index, figure in enumerate((figures[1], figures[2], figures[3], figures[4])):
            clocks[index] += int(figure or 0)
        by_channel[channel] += count
        admissibility[decision] += count
        if outcome is not None:
            outcomes[network][outcome] += count
        categories[category] = categories.get(category, 0) + count
        languages[language] = languages.get(language, 0) + count
        handled = agents.setdefault(agent, [0, 0])
        handled[0] += count
        handled[1] += int(figures[8] or 0)
    (
        received_total,
        ack_done,
        ack_on_time,
        reply_done,
        reply_on_time,
        reply_on_time_raw,
        reply_done_raw,
        still_open,
        overdue,
        ombudsman,
        improvement,
        anonymous,
    ) = sums
    by_month = dict(sorted(by_month.items()))
    by_category = dict(sorted(categories.items(), key=lambda item: (-item[1], item[0])))
    by_language = dict(sorted(languages.items(), key=lambda item: (-item[1], item[0])))
    ack_days = q(
        "SELECT CAST(julianday(acknowledgement_sent) - julianday(received) AS INTEGER), "
        f"count(*) FROM cases WHERE {where} AND acknowledgement_sent IS NOT NULL "
        f"AND coalesce(acknowledgement_means, '') != '{ACK_NOT_OWED}' GROUP BY 1",
        params,
    ).fetchall()
    reply_days = q(
        "SELECT CAST(julianday(reply_sent) - julianday(received) AS INTEGER), count(*) "
        f"FROM cases WHERE {where} AND reply_sent IS NOT NULL GROUP BY 1",
        params,
    ).fetchall()
    improvement_list = [
        {"reference": reference, "category": network or "", "action": action}
        for reference, network, action in q(
            "SELECT reference, network_category, improvement_action FROM cases "
            f"WHERE {where} AND improvement_action IS NOT NULL AND improvement_action != '' "
            "ORDER BY reference",
            params,
        )
    ]
    per_agent = {
        str(agent): {"handled": handled, "overdue": late}
        for agent, (handled, late) in sorted(
            ((a, v) for a, v in agents.items() if a is not None), key=lambda item: str(item[0])
        )
    }
    none = agents.get(None, [0, 0])
    unassigned = {"handled": none[0], "overdue": none[1]}
    # The procedure's grouping: three things are "pas recevable"; another institution's and a
    # request that is no complaint are forwarded.
    not_admissible = sum(
        admissibility[a.value]
        for a in (
            Admissibility.CONTESTED_DECISION,
            Admissibility.DISPUTE,
            Admissibility.REDIRECTED_DG_HANDICAP,
        )
    )
    non_complaints = admissibility[Admissibility.NOT_A_COMPLAINT.value]
    # Replies, not cases: a reopened case answered twice counts two replies.
    (replies_sent,) = q(
        "SELECT count(*) FROM journal WHERE action = 'reply' AND case_id IN "
        f"(SELECT id FROM cases WHERE {where})",
        params,
    ).fetchone()
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "as_of": day,
        "received_total": received_total,
        "complaints_received": received_total - non_complaints,
        "non_complaints_received": non_complaints,
        "anonymous_received": anonymous,
        "by_channel": by_channel,
        "by_month": by_month,
        "admissibility": admissibility,
        "inadmissible_total": not_admissible,
        "forwarded_other_institution": admissibility[Admissibility.OTHER_INSTITUTION.value],
        "outcomes": outcomes,
        "acknowledgements_due": ack_done,
        "acknowledged_within_deadline": ack_on_time,
        "acknowledged_within_deadline_pct": _pct(ack_on_time, ack_done),
        "replies_due": reply_done,
        "replied_within_deadline": reply_on_time,
        "replied_within_deadline_pct": _pct(reply_on_time, reply_done),
        "replied_within_deadline_raw_pct": _pct(reply_on_time_raw, reply_done_raw),
        "replies_sent": replies_sent,
        "days_to_acknowledge": {
            "median": _percentile(ack_days, 50),
            "p90": _percentile(ack_days, 90),
        },
        "days_to_reply": {
            "median": _percentile(reply_days, 50),
            "p90": _percentile(reply_days, 90),
        },
        "open": still_open,
        "overdue": overdue,
        "ombudsman": ombudsman,
        "improvement_actions": improvement,
        "on_time_by_month": {
            month: {
                "acknowledged_pct": _pct(ack_on, ack_counted),
                "replied_pct": _pct(reply_on, reply_counted),
                "acknowledged": [ack_on, ack_counted],
                "replied": [reply_on, reply_counted],
            }
            for month, (ack_counted, ack_on, reply_counted, reply_on) in sorted(on_time.items())
        },
        "improvement_action_list": improvement_list,
        "by_category": by_category,
        "by_language": by_language,
        "per_agent": per_agent,
        "unassigned": unassigned,
    }
