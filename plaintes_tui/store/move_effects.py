"""What each move of a case writes: its columns, its journal note and facts, and the
statements that go with it in the same transaction (``effects``). The door that checks and
writes them is ``store/workflow.py``'s ``perform``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from plaintes_tui.domain.admissibility import Outcome
from plaintes_tui.domain.case_record import Case, CaseChanges
from plaintes_tui.domain.cases import Admissibility, Status
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.domain.ombudsman import (
    AnswerMeans,
    OmbudsmanConclusion,
    answer_refusal,
    deadline_refusal,
    nearest_due,
)
from plaintes_tui.domain.workflow import Move, late_for_a_pause, reply_left
from plaintes_tui.i18n import moment, tr
from plaintes_tui.printable import clean, one_line
from plaintes_tui.store.admissibility import decision_changes
from plaintes_tui.store.case_writer import MoveRefused
from plaintes_tui.store.database import Store
from plaintes_tui.store.ombudsman import ANSWER_REQUEST, INSERT_REQUEST, requests_of

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


Statements = list[tuple[str, tuple[object, ...]]]


@dataclass
class _Move:
    """One move being carried out: what it is given, and what it writes (``_EFFECTS``)."""

    store: Store
    case: Case
    params: Mapping[str, Any]
    agent: str
    day: date
    today: date
    calculator: DeadlineCalculator
    changes: CaseChanges = field(default_factory=lambda: CaseChanges())
    note: str = ""
    also: Statements = field(default_factory=list)
    journal: dict[str, object] = field(default_factory=dict)  # facts that are not columns

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
    if late_for_a_pause(m.case.reply_due, m.today):
        m.journal["paused_late"] = True  # by a supervisor: the rule says so
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
    if m.params.get("complaint"):  # the letter's words for the complaint
        m.journal["complaint"] = str(m.params["complaint"])


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
    m.changes["ombudsman_reference"] = str(m.params.get("reference") or "").strip() or None
    m.note = str(m.params.get("notes") or "")


def _refuse_unless_after_referral(m: _Move) -> None:
    referred = m.case.ombudsman_referred
    if referred is not None and m.day < referred:
        raise MoveRefused(refused_because(m.case, "workflow.before_referral"))


def _ombudsman_request(m: _Move) -> None:
    """A request of the Ombudsman: numbered in the case, its deadline a clock."""
    _refuse_unless_after_referral(m)
    due: date = m.params["due"]
    why = deadline_refusal(m.day, due)
    if why is not None:
        raise MoveRefused(refused_because(m.case, why))
    requests = requests_of(m.store.connection, m.case_id)
    number = len(requests) + 1
    asked = clean(str(m.params.get("asked") or ""), lines=True)
    m.changes["ombudsman_due"] = min(d for d in (due, m.case.ombudsman_due) if d is not None)
    m.journal["ombudsman_request"] = {"number": number, "received": m.day, "due": due}
    m.note = asked
    m.also.append((INSERT_REQUEST, (m.case_id, number, m.day, asked, due)))


def _ombudsman_answer(m: _Move) -> None:
    """A request answered: the day the answer left and how; the clock moves to the next."""
    requests = requests_of(m.store.connection, m.case_id)
    number = int(m.params.get("number") or next((r.number for r in requests if r.open), 0))
    request = next((r for r in requests if r.number == number), None)
    why = answer_refusal(request, m.day)
    if why is not None:
        raise MoveRefused(refused_because(m.case, why))
    means = AnswerMeans(m.params.get("means") or AnswerMeans.LETTER)
    summary = clean(str(m.params.get("summary") or ""), lines=True)
    left = [replace(r, answered=m.day) if r.number == number else r for r in requests]
    m.changes["ombudsman_due"] = nearest_due(left)
    m.journal["ombudsman_answer"] = {"number": number, "answered": m.day, "means": means.value}
    m.note = summary
    m.also.append((ANSWER_REQUEST, (m.day, means.value, summary, m.case_id, number)))


def _ombudsman_conclude(m: _Move) -> None:
    """The Ombudsman's conclusion: nothing more is owed to them (open requests stop running)."""
    _refuse_unless_after_referral(m)
    m.changes.update(
        {
            "ombudsman_conclusion": OmbudsmanConclusion(m.params["conclusion"]).value,
            "ombudsman_concluded": m.day,
            "ombudsman_recommendation": str(m.params.get("recommendation") or "").strip() or None,
            "ombudsman_due": None,
        }
    )


def _forward(m: _Move) -> None:
    m.note = str(m.params.get("notes") or "")
    # facts of the forwarding, not columns of the case
    m.journal.update({"forwarded_to": str(m.params["to"]), "forwarded_by": str(m.params["means"])})
    m.journal["forwarded_on"] = m.day


def _decide(m: _Move) -> None:
    outcome: Outcome = m.params["outcome"]
    reason = str(m.params.get("reason") or "")
    m.changes.update(decision_changes(m.case, outcome, reason, m.calculator))
    m.also.extend(_details_wait(m.store, m.case, outcome, m.day, m.agent, m.calculator, m.changes))
    m.note = reason
    if m.params.get("answers"):  # as codes, shown in the reader's language
        m.journal["answers"] = [list(answer) for answer in m.params["answers"]]


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
    m.journal["letter"] = m.params["kind"]
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
    Move.OMBUDSMAN_REQUEST: _ombudsman_request,
    Move.OMBUDSMAN_ANSWER: _ombudsman_answer,
    Move.OMBUDSMAN_CONCLUDE: _ombudsman_conclude,
    Move.FORWARD: _forward,
    Move.DECIDE: _decide,
    Move.ANSWER_OUT_OF_SCOPE: _answer_out_of_scope,
    Move.LETTER: _letter,
}


def effects(
    store: Store,
    case: Case,
    move: Move,
    params: Mapping[str, Any],
    agent: str,
    now: datetime,
    calculator: DeadlineCalculator,
) -> tuple[CaseChanges, str, Statements, dict[str, object]]:
    """What ``move`` changes in the case, its journal note and the statements that go with it."""
    effect = _EFFECTS.get(move)
    if effect is None:
        raise ValueError(move)
    m = _Move(store, case, params, agent, params.get("date") or now.date(), now.date(), calculator)
    effect(m)
    return m.changes, m.note, m.also, m.journal
