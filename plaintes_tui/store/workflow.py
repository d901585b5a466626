"""Carrying out a move of the case file: checked by the state machine, written with its journal."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from plaintes_tui.domain.cases import Status
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.domain.workflow import CaseFacts, Move, refusal, status_after
from plaintes_tui.i18n import tr
from plaintes_tui.store.cases import Row, get_case, update_case
from plaintes_tui.store.database import Store, StoreError


class MoveRefused(StoreError):
    """The move makes no sense for this case now; nothing was written."""


def paused_days_closed(store: Store, case_id: int) -> int:
    (days,) = store.connection.execute(
        "SELECT coalesce(sum(julianday(ended) - julianday(started)), 0) FROM reply_pauses "
        "WHERE case_id = ? AND ended IS NOT NULL",
        (case_id,),
    ).fetchone()
    return int(days)


def perform(
    store: Store,
    case_id: int,
    expected_version: int,
    move: Move,
    params: Mapping[str, Any],
    *,
    agent: str,
    supervisor: bool,
    now: datetime,
    calculator: DeadlineCalculator,
) -> Row:
    """Carry out ``move`` on a case read at ``expected_version``.

    ``params`` by move — note: ``text``; assign: ``agent``; acknowledge: ``date``, ``means``;
    pause: ``date``, ``reason``; resume: ``date``; reply: ``date``, ``outcome``,
    ``network_category``, ``summary``, ``improvement_action``; close: ``date``; reopen:
    ``reason``; ombudsman: ``date``, ``reference``, ``notes``.
    """
    case = get_case(store, case_id)
    facts = CaseFacts.of(case)
    why = refusal(facts, move, supervisor=supervisor)
    if why is not None:
        raise MoveRefused(tr(why))
    day: date = params.get("date") or now.date()
    changes: dict[str, Any] = {}
    also: list[tuple[str, tuple[object, ...]]] = []
    note = ""
    if move is Move.NOTE:
        note = str(params["text"])
    elif move is Move.ASSIGN:
        changes["assigned_to"] = params["agent"]
    elif move is Move.ACKNOWLEDGE:
        changes["acknowledgement_sent"] = day
        changes["acknowledgement_means"] = params.get("means")
    elif move is Move.PAUSE:
        note = str(params["reason"])
        also.append(
            (
                "INSERT INTO reply_pauses (case_id, started, reason, agent) VALUES (?, ?, ?, ?)",
                (case_id, day, note, agent),
            )
        )
    elif move is Move.RESUME:
        started = store.connection.execute(
            "SELECT started FROM reply_pauses WHERE case_id = ? AND ended IS NULL", (case_id,)
        ).fetchone()
        paused_now = (day - date.fromisoformat(started[0])).days if started else 0
        also.append(
            (
                "UPDATE reply_pauses SET ended = ? WHERE case_id = ? AND ended IS NULL",
                (day, case_id),
            )
        )
        start = calculator.counts_from(
            date.fromisoformat(case["received"]),
            time.fromisoformat(case["received_time"]) if case["received_time"] else None,
        )
        paused = paused_days_closed(store, case_id) + max(0, paused_now)
        changes["reply_due"] = calculator.reply_due(start, paused)
    elif move is Move.REPLY:
        changes.update(
            reply_sent=day,
            outcome=params["outcome"],
            network_category=params.get("network_category"),
            improvement_action=params.get("improvement_action") or None,
        )
        note = str(params.get("summary", ""))
    elif move is Move.CLOSE:
        changes["closed_at"] = day
    elif move is Move.REOPEN:
        changes["closed_at"] = None
        note = str(params["reason"])
    elif move is Move.OMBUDSMAN:
        changes["ombudsman_referred"] = day
        note = " — ".join(str(p) for p in (params.get("reference"), params.get("notes")) if p)
    status = status_after(facts, move)
    if status is not None and status is not Status(case["status"]):
        changes["status"] = status.value
    return update_case(
        store,
        case_id,
        expected_version,
        changes,
        agent=agent,
        now=now,
        action=move.value,
        note=note,
        also=also,
    )
