"""Recomputing every due date when the deadline settings change."""

from __future__ import annotations

from datetime import date, datetime, time

from plaintes_tui.domain.cases import Admissibility, ClockState, Status
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.domain.workflow import Move
from plaintes_tui.store.database import Store
from plaintes_tui.store.journal import append_journal

BATCH = 5_000


def recompute_due_dates(
    store: Store, calculator: DeadlineCalculator, *, agent: str, now: datetime, today: date
) -> int:
    """Bring each case's stored due dates in line with ``calculator``; return how many changed."""
    changed = 0
    last_id = 0
    while True:
        with store.write() as connection:
            rows = connection.execute(
                "SELECT cases.id, cases.version, cases.received, cases.received_time, "
                "cases.admissibility, cases.status, cases.acknowledgement_due, "
                "cases.reply_due_original, cases.reply_due, cases.acknowledgement_sent, "
                "cases.reply_sent, cases.next_due, "
                "(SELECT coalesce(sum(julianday(ended) - julianday(started)), 0) "
                " FROM reply_pauses WHERE case_id = cases.id AND ended IS NOT NULL) "
                "FROM cases WHERE cases.id > ? ORDER BY cases.id LIMIT ?",
                (last_id, BATCH),
            ).fetchall()
            if not rows:
                return changed
            last_id = rows[-1][0]
            for row in rows:
                (id_, version, received, received_time, admissibility, status) = row[:6]
                old = dict(
                    zip(
                        ("acknowledgement_due", "reply_due_original", "reply_due", "next_due"),
                        (row[6], row[7], row[8], row[11]),
                        strict=True,
                    )
                )
                clocks = calculator.clocks(
                    date.fromisoformat(received),
                    time.fromisoformat(received_time) if received_time else None,
                )
                has_reply = admissibility is None or Admissibility(admissibility).has_reply_clock
                start = calculator.counts_from(
                    clocks.received, time.fromisoformat(received_time) if received_time else None
                )
                reply_due = calculator.reply_due(start, int(row[12])) if has_reply else None
                new = {
                    "acknowledgement_due": clocks.acknowledgement_due.isoformat(),
                    "reply_due_original": clocks.reply_due.isoformat() if has_reply else None,
                    "reply_due": reply_due.isoformat() if reply_due else None,
                }
                next_due = ClockState(
                    status=Status(status),
                    acknowledgement_due=clocks.acknowledgement_due,
                    acknowledgement_sent=date.fromisoformat(row[9]) if row[9] else None,
                    reply_due=reply_due,
                    reply_sent=date.fromisoformat(row[10]) if row[10] else None,
                ).next_due()
                new["next_due"] = next_due.isoformat() if next_due else None
                diff = {k: (old[k], v) for k, v in new.items() if old[k] != v}
                if not diff:
                    continue
                changed += 1
                connection.execute(
                    "UPDATE cases SET acknowledgement_due = ?, reply_due_original = ?, "
                    "reply_due = ?, next_due = ?, version = version + 1, updated_at = ?, "
                    "updated_by = ? "
                    "WHERE id = ?",
                    (*new.values(), now.isoformat(timespec="seconds"), agent, id_),
                )
                append_journal(
                    connection,
                    id_,
                    version + 1,
                    at=now,
                    agent=agent,
                    action=Move.RECOMPUTE.value,
                    changes={k: v for k, v in diff.items() if k != "next_due"},
                )
