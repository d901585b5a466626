"""The one door through which a case changes: the rule, the version and the journal.

Every move of a case — from the case file, the queue's bulk assignment, the admissibility
checklist, a letter — is checked by the state machine, written from the version the agent read
(a stale copy is refused) and journaled under the move's name, in one transaction with
everything that must change with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.admissibility import Outcome
from plaintes_tui.domain.case_record import Case
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.domain.workflow import (
    CaseFacts,
    Move,
    date_refusal,
    decision_refusal,
    refusal,
    status_after,
)
from plaintes_tui.store.case_rows import case_of
from plaintes_tui.store.case_writer import MoveRefused, check_actor
from plaintes_tui.store.cases import Row, get_case, stale_error, update_case
from plaintes_tui.store.database import Store
from plaintes_tui.store.journal import iso
from plaintes_tui.store.move_effects import effects, open_pause_start, refused_because


def _date_refusal(
    store: Store,
    case: Case,
    move: Move,
    params: Mapping[str, Any],
    now: datetime,
    supervisor: bool,
) -> str | None:
    return date_refusal(
        move,
        params.get("date") or now.date(),
        received=case.received,
        today=now.date(),
        reply_due=case.reply_due,
        pause_started=open_pause_start(store, case.id) if move is Move.RESUME else None,
        supervisor=supervisor,
        acknowledged=case.acknowledgement_sent,
    )


def perform(
    store: Store,
    case_id: int,
    expected_version: int,
    move: Move,
    params: Mapping[str, Any],
    *,
    actor: Actor,
    now: datetime,
    calculator: DeadlineCalculator,
    also: Sequence[tuple[str, tuple[object, ...]]] = (),
) -> Row:
    """Carry out ``move`` on a case read at ``expected_version``.

    ``params`` by move — note: ``text``; service: ``service`` (a code, or None); assign:
    ``agent``; acknowledge: ``date``, ``means``;
    pause: ``date``, ``reason``; resume: ``date``; reply: ``date``, ``outcome``,
    ``network_category``, ``summary``, ``improvement_action``; close: ``date``; reopen:
    ``reason``; ombudsman: ``date``, ``reference``, ``notes``; ombudsman request: ``date``
    (received), ``asked``, ``due``; ombudsman answer: ``date``, ``number`` (the request; the
    oldest open one by default), ``means``, ``summary``; ombudsman conclusion: ``date``,
    ``conclusion``, ``recommendation``; decide: ``outcome`` (an
    admissibility :class:`Outcome`), ``reason``, ``answers``; answer out of scope: ``date``;
    letter: ``kind``, ``note``, ``changes``. ``also`` holds further statements written in the
    same transaction. ``actor``'s role is checked first: a direct call is refused as a screen is.
    """
    check_actor(actor, move, params)
    agent, supervisor = actor.login, actor.supervising
    row = get_case(store, case_id)
    if row["version"] != expected_version:  # checked again inside the write
        raise stale_error(store.connection, row, expected_version)
    case = case_of(row)
    facts = CaseFacts.of(case)
    why = refusal(facts, move, supervisor=supervisor) or _date_refusal(
        store, case, move, params, now, supervisor
    )
    if why is None and move is Move.DECIDE:
        why = decision_refusal(facts, params["outcome"].admissibility)
    if why is not None:
        raise MoveRefused(refused_because(case, why))
    changes, note, statements, facts_of_move = effects(
        store, case, move, params, agent, now, calculator
    )
    journal_only: dict[str, tuple[object, object]] = {
        name: (None, {k: iso(v) for k, v in value.items()} if isinstance(value, dict) else value)
        for name, value in facts_of_move.items()
    }
    status = status_after(facts, move)
    if status is not None and status is not case.status:
        changes.setdefault("status", status.value)
    return update_case(
        store,
        case_id,
        expected_version,
        changes,
        actor=actor,
        move=move,
        now=now,
        note=note,
        params=params,
        also=[*statements, *also],
        journal_only=journal_only,
    )


@dataclass(frozen=True)
class Forwarding:
    """The case's file as it was sent on: to whom, by what means, on which day."""

    to: str
    means: str
    on: date


def forwarding(store: Store, case_id: int) -> Forwarding | None:
    """The latest forwarding of the case's file, or None when it was not sent on."""
    row = store.connection.execute(
        "SELECT json_extract(changes, '$.forwarded_to[1]'), "
        "json_extract(changes, '$.forwarded_by[1]'), json_extract(changes, '$.forwarded_on[1]') "
        "FROM journal WHERE case_id = ? AND action = ? ORDER BY id DESC LIMIT 1",
        (case_id, Move.FORWARD.value),
    ).fetchone()
    if row is None or row[0] is None:
        return None
    return Forwarding(str(row[0]), str(row[1]), date.fromisoformat(str(row[2])))


def record_decision(
    store: Store,
    case_id: int,
    expected_version: int,
    outcome: Outcome,
    *,
    reason: str,
    answers: Sequence[tuple[str, str]],
    actor: Actor,
    now: datetime,
    calculator: DeadlineCalculator,
) -> Row:
    """The admissibility checklist's decision: outcome, reason, every answer (as codes: step
    and answer, ``("dispute", "no")``), who and when."""
    return perform(
        store,
        case_id,
        expected_version,
        Move.DECIDE,
        {"outcome": outcome, "reason": reason, "answers": answers},
        actor=actor,
        now=now,
        calculator=calculator,
    )
