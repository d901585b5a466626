"""What a coordinator answers for each year, in the demo: the Ombudsman's files (requests
open, late, answered on time and late, conclusions) and improvement actions at every stage,
linked to the cases that led to them — each written through its door."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any

from plaintes_tui.domain.access import Actor, Role
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import tr
from plaintes_tui.store.database import Store
from plaintes_tui.store.improvements import create_improvement, link_case, update_improvement
from plaintes_tui.store.workflow import perform


def coordinators_year(store: Store, today: date, calculator: DeadlineCalculator) -> None:
    _second_line(store, today, calculator)
    _improvements(store, today)


# The Ombudsman's files the demo shows, by the cases most recently referred: (days after the
# referral a request came, days it was given, days after it the answer left — None: open),
# then the conclusion (a code of the Ombudsman's scale, days after the referral) or None.
_SECOND_LINE = (
    (((3, 30, None),), None),  # due in the weeks to come
    (((2, 15, None),), None),  # overdue, unless referred lately
    (((5, 30, 20), (30, 15, 18)), ("partly_founded", 70)),  # one on time, one late
    (((4, 30, 12),), ("unfounded", 60)),
    ((), ("resolved", 25)),
)


def _second_line(store: Store, today: date, calculator: DeadlineCalculator) -> None:
    """A few Ombudsman's files, each step through the case's door: requests open (one in the
    queue's bands), answered on time and late, conclusions with a recommendation or not. A
    step that would fall after the demo's today is left out."""

    def referred_cases(older: bool, count: int) -> list[tuple[int, str]]:
        # the open files on the latest referrals; the concluded ones on referrals 100 days old
        return store.connection.execute(
            "SELECT id, ombudsman_referred FROM cases WHERE ombudsman_referred IS NOT NULL "
            f"AND ombudsman_referred {'<=' if older else '>'} ? AND ombudsman_concluded IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM ombudsman_requests WHERE case_id = cases.id) "
            "ORDER BY ombudsman_referred DESC, id LIMIT ?",
            ((today - timedelta(days=100)).isoformat(), count),
        ).fetchall()

    rows = referred_cases(False, 2) + referred_cases(True, len(_SECOND_LINE) - 2)
    actor = Actor("demo")
    for (case_id, referred_on), (requests, conclusion) in zip(rows, _SECOND_LINE, strict=False):
        start = date.fromisoformat(referred_on)
        steps: list[tuple[Move, dict[str, Any]]] = []
        for number, (after, given, answered) in enumerate(requests, start=1):
            received = start + timedelta(days=after)
            steps.append(
                (
                    Move.OMBUDSMAN_REQUEST,
                    {
                        "date": received,
                        "asked": tr("demo.ombudsman_asked"),
                        "due": received + timedelta(days=given),
                    },
                )
            )
            if answered is not None:
                on = received + timedelta(days=answered)
                steps.append((Move.OMBUDSMAN_ANSWER, {"date": on, "number": number}))
        if conclusion is not None:
            on = start + timedelta(days=conclusion[1])
            steps.append(
                (
                    Move.OMBUDSMAN_CONCLUDE,
                    {
                        "date": on,
                        "conclusion": conclusion[0],
                        "recommendation": tr("demo.ombudsman_recommendation")
                        if conclusion[0] == "partly_founded"
                        else "",
                    },
                )
            )
        for move, params in sorted(steps, key=lambda step: step[1]["date"]):
            if params["date"] > today:
                break
            (version,) = store.connection.execute(
                "SELECT version FROM cases WHERE id = ?", (case_id,)
            ).fetchone()
            perform(
                store,
                case_id,
                version,
                move,
                params,
                actor=actor,
                now=datetime.combine(params["date"], clock(11)),  # the day it happened
                calculator=calculator,
            )


# The demo's actions: (title key, service, owner, status steps, days ago proposed, due in days
# from today — negative: late, how many cases led to it).
_ACTIONS = (
    ("demo.action_refusals", "dg_handicap", "amartin", ("decided", "in_progress"), 120, -10, 3),
    ("demo.action_phone", "support", "bjanssens", ("decided",), 60, 45, 2),
    ("demo.action_letters", "dg_self_employed", "cdubois", ("decided", "done"), 200, -60, 2),
    ("demo.action_website", None, None, (), 10, None, 1),
)


def _improvements(store: Store, today: date) -> None:
    """A few improvement actions, each linked to founded cases of its service (or any)."""
    if store.connection.execute("SELECT 1 FROM improvements LIMIT 1").fetchone():
        return  # a second load into the same store: its actions are there
    chief = Actor("demo", Role.COORDINATOR)
    for key, service, owner, steps, ago, due_in, count in _ACTIONS:
        cases = [
            case_id
            for (case_id,) in store.connection.execute(
                "SELECT id FROM cases WHERE outcome IN ('founded', 'partly_founded') "
                "AND (? IS NULL OR service = ?) ORDER BY received DESC LIMIT ?",
                (service, service, count),
            )
        ]
        proposed = datetime.combine(today - timedelta(days=ago), clock(10))
        due = today + timedelta(days=due_in) if due_in is not None else None
        fields = {"title": tr(key), "service": service, "owner": owner, "due": due}
        action = create_improvement(
            store, fields, actor=chief, now=proposed, case_id=cases[0] if cases else None
        )
        for case_id in cases[1:]:
            link_case(store, action, case_id, actor=chief, now=proposed)
        for step, status in enumerate(steps, start=1):
            (version,) = store.connection.execute(
                "SELECT version FROM improvements WHERE id = ?", (action,)
            ).fetchone()
            at = proposed + timedelta(days=step * ago // (len(steps) + 1))
            update_improvement(store, action, version, {"status": status}, actor=chief, now=at)
