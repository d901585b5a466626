"""Recomputing every due date when the deadline settings change."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.cases import ACK_NOT_OWED, Admissibility, ClockState, Status
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.domain.workflow import Move
from plaintes_tui.store.case_writer import check_actor, write_cases
from plaintes_tui.store.database import Store

BATCH = 5_000
_DUE_DATES = ("acknowledgement_due", "reply_due_original", "reply_due", "next_due")


def recompute_due_dates(
    store: Store, calculator: DeadlineCalculator, *, actor: Actor, now: datetime
) -> int:
    """Bring each open case's stored due dates in line with ``calculator``; return how many
    changed. A closed case keeps the dates it was judged by (a settings change never rewrites
    a past year's figures), and a reopened one its new reply period (counted from the
    reopening, not the receipt). A supervisor's job (or the service account's): refused
    before anything is read otherwise."""
    check_actor(actor, Move.RECOMPUTE)
    changed = 0
    last_id = 0
    while True:
        with store.write() as connection:
            rows = connection.execute(
                "SELECT cases.id, cases.received, cases.received_time, "
                "cases.admissibility, cases.status, cases.acknowledgement_due, "
                "cases.reply_due_original, cases.reply_due, cases.acknowledgement_sent, "
                "cases.reply_sent, cases.next_due, "
                "(SELECT coalesce(sum(julianday(ended) - julianday(started)), 0) "
                " FROM reply_pauses WHERE case_id = cases.id AND ended IS NOT NULL), "
                "EXISTS (SELECT 1 FROM journal WHERE case_id = cases.id AND action = ?), "
                "cases.acknowledgement_means, cases.ombudsman_due "
                "FROM cases WHERE cases.id > ? AND cases.status != ? ORDER BY cases.id LIMIT ?",
                (Move.REOPEN.value, last_id, Status.CLOSED.value, BATCH),
            ).fetchall()
            if not rows:
                return changed
            last_id = rows[-1][0]
            for row in rows:
                id_ = row[0]
                old = dict(zip(_DUE_DATES, (row[5], row[6], row[7], row[10]), strict=True))
                new = _due_dates(row, calculator)
                diff = {k: (old[k], v) for k, v in new.items() if old[k] != v}
                if not diff:
                    continue
                changed += 1
                write_cases(
                    connection,
                    actor=actor,
                    move=Move.RECOMPUTE,
                    where="id = ?",
                    parameters=(id_,),
                    now=now,
                    values=new,
                    changes={k: v for k, v in diff.items() if k != "next_due"},
                )


def _due_dates(row: tuple[Any, ...], calculator: DeadlineCalculator) -> dict[str, str | None]:
    """A case's due dates under ``calculator`` (the row as ``recompute_due_dates`` reads it);
    a reopened case keeps the reply period its reopening gave it."""
    received, received_time, admissibility, status = row[1:5]
    at = time.fromisoformat(received_time) if received_time else None
    clocks = calculator.clocks(date.fromisoformat(received), at)
    has_reply = (admissibility is None or Admissibility(admissibility).has_reply_clock) and row[
        13
    ] != ACK_NOT_OWED  # nobody to answer: no reply clock
    if row[12]:  # reopened: its reply clock runs from the reopening, as stored
        original, reply_due = row[6], date.fromisoformat(row[7]) if row[7] else None
    else:
        original = clocks.reply_due.isoformat() if has_reply else None
        reply_due = (
            calculator.reply_due_after_pauses(clocks.received, at, int(row[11]))
            if has_reply
            else None
        )
    next_due = ClockState(
        status=Status(status),
        acknowledgement_due=clocks.acknowledgement_due,
        acknowledgement_sent=date.fromisoformat(row[8]) if row[8] else None,
        reply_due=reply_due,
        reply_sent=date.fromisoformat(row[9]) if row[9] else None,
        ombudsman_due=date.fromisoformat(row[14]) if row[14] else None,
    ).next_due()
    return {
        "acknowledgement_due": clocks.acknowledgement_due.isoformat(),
        "reply_due_original": original,
        "reply_due": reply_due.isoformat() if reply_due else None,
        "next_due": next_due.isoformat() if next_due else None,
    }
