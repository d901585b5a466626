"""The one door through which a case changes: the rule, the version and the journal.

Every move of a case — from the case file, the queue's bulk assignment, the admissibility
checklist, a letter — is checked by the state machine, written from the version the agent read
(a stale copy is refused) and journaled under the move's name, in one transaction with
everything that must change with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.admissibility import Outcome
from plaintes_tui.domain.case_record import Case, CaseChanges
from plaintes_tui.domain.cases import Admissibility, Status
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.domain.workflow import (
    CaseFacts,
    Move,
    date_refusal,
    decision_refusal,
    late_for_a_pause,
    refusal,
    reply_left,
    status_after,
)
from plaintes_tui.i18n import moment, tr
from plaintes_tui.printable import one_line
from plaintes_tui.store.admissibility import decision_changes
from plaintes_tui.store.case_writer import MoveRefused, check_actor
from plaintes_tui.store.cases import Row, case_of, get_case, stale_error, update_case
from plaintes_tui.store.database import Store

# The case's open pause ends (on a day, for a case).
_END_PAUSE = "UPDATE reply_pauses SET ended = ? WHERE case_id = ? AND ended IS NULL"


def paused_days_closed(store: Store, case_id: int) -> int:
    (days,) = store.connection.execute(
        "SELECT coalesce(sum(julianday(ended) - julianday(started)), 0) FROM reply_pauses "
        "WHERE case_id = ? AND ended IS NOT NULL",
        (case_id,),
    ).fetchone()
    return int(days)


def refused_because(case: Case, why: str) -> str:
    """A refusal in words, with who changed the case last and when."""
    agent = one_line(case.updated_by)
    last = tr("workflow.last_change", agent=agent, when=moment(case.updated_at))
    return f"{tr(why)} ({last})"


def open_pause_start(store: Store, case_id: int) -> date | None:
    """The day the case's reply clock began to wait (a pause, or missing details); None
    when it runs."""
    row = store.connection.execute(
        "SELECT started FROM reply_pauses WHERE case_id = ? AND ended IS NULL", (case_id,)
    ).fetchone()
    return date.fromisoformat(row[0]) if row else None


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


def _details_wait(
    store: Store,
    case: Case,
    outcome: Outcome,
    day: date,
    agent: str,
    calculator: DeadlineCalculator,
    changes: CaseChanges,
) -> list[tuple[str, tuple[object, ...]]]:
    """Waiting for missing details is a recorded pause of the reply clock: it starts when the
    case is found incomplete and ends when a later decision finds it complete, which moves the
    reply by the days waited — raw and adjusted figures as for any pause."""
    case_id = case.id
    waiting = open_pause_start(store, case_id)
    if outcome.admissibility is Admissibility.INCOMPLETE:
        if waiting is None and case.reply_due and not case.reply_sent:
            reason = tr("workflow.details_requested")
            return [
                (
                    "INSERT INTO reply_pauses (case_id, started, reason, agent) "
                    "VALUES (?, ?, ?, ?)",
                    (case_id, day, reason, agent),
                )
            ]
        return []
    if waiting is None or case.status is not Status.INCOMPLETE:
        return []
    if changes.get("reply_due", case.reply_due) is not None:
        changes["reply_due"] = _reply_due_after(store, case, calculator, (day - waiting).days)
    return [(_END_PAUSE, (day, case_id))]


def _reply_due_after(
    store: Store, case: Case, calculator: DeadlineCalculator, paused_now: int
) -> date:
    """The reply's due date once the pause running ``paused_now`` days ends."""
    return calculator.reply_due_after_pauses(
        case.received,
        case.received_time,
        paused_days_closed(store, case.id) + max(0, paused_now),
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
    ``reason``; ombudsman: ``date``, ``reference``, ``notes``; decide: ``outcome`` (an
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
    changes, note, statements = _effects(store, case, move, params, agent, now, calculator)
    journal_only: dict[str, tuple[object, object]] = {}
    if move is Move.LETTER:
        journal_only["letter"] = (None, params["kind"])
    if move is Move.DECIDE and params.get("answers"):  # shown in the reader's language
        journal_only["answers"] = (None, [list(answer) for answer in params["answers"]])
    if move is Move.REPLY and params.get("complaint"):  # the letter's words for the complaint
        journal_only["complaint"] = (None, str(params["complaint"]))
    if move is Move.FORWARD:  # facts of the forwarding, not columns of the case
        journal_only["forwarded_to"] = (None, str(params["to"]))
        journal_only["forwarded_by"] = (None, str(params["means"]))
        journal_only["forwarded_on"] = (None, params.get("date") or now.date())
    if move is Move.PAUSE and late_for_a_pause(facts.reply_due, now.date()):
        journal_only["paused_late"] = (None, True)  # by a supervisor: the rule says so
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


Statements = list[tuple[str, tuple[object, ...]]]


@dataclass
class _Move:
    """One move being carried out: what it is given, and what it writes (``_EFFECTS``)."""

    store: Store
    case: Case
    params: Mapping[str, Any]
    agent: str
    day: date
    calculator: DeadlineCalculator
    changes: CaseChanges = field(default_factory=lambda: CaseChanges())
    note: str = ""
    also: Statements = field(default_factory=list)

    @property
    def case_id(self) -> int:
        return self.case.id


def _note(m: _Move) -> None:
    m.note = str(m.params["text"])


def _service(m: _Move) -> None:
    m.changes["service"] = m.params.get("service") or None


def _assign(m: _Move) -> None:
    m.changes["assigned_to"] = m.params["agent"]


def _acknowledge(m: _Move) -> None:
    m.changes["acknowledgement_sent"] = m.day
    m.changes["acknowledgement_means"] = m.params.get("means")


def _pause(m: _Move) -> None:
    m.note = str(m.params["reason"])
    m.also.append(
        (
            "INSERT INTO reply_pauses (case_id, started, reason, agent) VALUES (?, ?, ?, ?)",
            (m.case_id, m.day, m.note, m.agent),
        )
    )


def _resume(m: _Move) -> None:
    started = open_pause_start(m.store, m.case_id)
    paused_now = (m.day - started).days if started else 0
    m.also.append((_END_PAUSE, (m.day, m.case_id)))
    m.changes["reply_due"] = _reply_due_after(m.store, m.case, m.calculator, paused_now)


def _reply(m: _Move) -> None:
    """The reasoned reply's decision (its assessment, summary, improvement action); it is sent
    when its letter leaves — produced (``letters.produce_letter``), or its posting recorded
    here with the day it was posted (``date``) for a letter written outside the program."""
    m.changes.update(
        {
            "outcome": m.params["outcome"],
            "network_category": m.params.get("network_category"),
            "improvement_action": m.params.get("improvement_action") or None,
        }
    )
    if m.params.get("date"):
        m.changes.update(reply_left(m.case, m.day))
    m.note = str(m.params.get("summary", ""))


def _close(m: _Move) -> None:
    m.changes["closed_at"] = m.day


def _reopen(m: _Move) -> None:
    """A new reply period from the reopening day, for a case that owes a reply; a case that
    waited for missing details stops waiting (they arrived: that is why it is reopened)."""
    case = m.case
    m.changes["closed_at"] = None
    m.note = str(m.params["reason"])
    if case.reply_due is not None:
        m.changes.update({"reply_sent": None, "reply_due": m.calculator.reply_due(m.day)})
    if open_pause_start(m.store, case.id) is not None:
        m.also.append((_END_PAUSE, (m.day, case.id)))


def _ombudsman(m: _Move) -> None:
    m.changes["ombudsman_referred"] = m.day
    m.note = " — ".join(str(p) for p in (m.params.get("reference"), m.params.get("notes")) if p)


def _forward(m: _Move) -> None:
    m.note = str(m.params.get("notes") or "")


def _decide(m: _Move) -> None:
    outcome: Outcome = m.params["outcome"]
    reason = str(m.params.get("reason") or "")
    m.changes.update(decision_changes(m.case, outcome, reason, m.calculator))
    m.also.extend(_details_wait(m.store, m.case, outcome, m.day, m.agent, m.calculator, m.changes))
    m.note = reason  # the checklist's answers are journaled as codes (see perform)


def _answer_out_of_scope(m: _Move) -> None:
    case = m.case
    m.changes.update(
        {
            "acknowledgement_sent": case.acknowledgement_sent or m.day,
            "acknowledgement_means": case.acknowledgement_means
            or ("email" if case.complainant.email else "letter"),
            "closed_at": m.day,
        }
    )


def _letter(m: _Move) -> None:
    m.changes.update(m.params.get("changes", {}))
    m.note = str(m.params.get("note", ""))


# What each move writes. LOG and RECOMPUTE have doors of their own (create_case,
# recompute_due_dates); personal data and the mail's facts theirs (rectify, retention, mailbox).
_EFFECTS: dict[Move, Callable[[_Move], None]] = {
    Move.NOTE: _note,
    Move.SERVICE: _service,
    Move.ASSIGN: _assign,
    Move.ACKNOWLEDGE: _acknowledge,
    Move.PAUSE: _pause,
    Move.RESUME: _resume,
    Move.REPLY: _reply,
    Move.CLOSE: _close,
    Move.REOPEN: _reopen,
    Move.OMBUDSMAN: _ombudsman,
    Move.FORWARD: _forward,
    Move.DECIDE: _decide,
    Move.ANSWER_OUT_OF_SCOPE: _answer_out_of_scope,
    Move.LETTER: _letter,
}


def _effects(
    store: Store,
    case: Case,
    move: Move,
    params: Mapping[str, Any],
    agent: str,
    now: datetime,
    calculator: DeadlineCalculator,
) -> tuple[CaseChanges, str, Statements]:
    """What ``move`` changes in the case, its journal note and the statements that go with it."""
    effect = _EFFECTS.get(move)
    if effect is None:
        raise ValueError(move)
    m = _Move(store, case, params, agent, params.get("date") or now.date(), calculator)
    effect(m)
    return m.changes, m.note, m.also


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
