"""The letters produced for a case and their e-mails: an outbox that sends each one once.

A letter's row is written in the transaction that journals it (see ``letters.produce_letter``),
so a refused or stale save leaves no row. An e-mail is handed to the mail server only by the
sender that claimed it: claiming is one ``UPDATE`` that a second sender (another agent, a
retry) cannot win, and a sent e-mail is never claimed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from plaintes_tui.domain.workflow import Move
from plaintes_tui.store.cases import Row
from plaintes_tui.store.database import Store
from plaintes_tui.store.journal import append_journal

# A claim older than this is a sender that died mid-way (the mail server's timeout is 30 s):
# the e-mail may be tried again.
ABANDONED_AFTER = timedelta(minutes=10)


class Send(StrEnum):
    NONE = "none"  # no e-mail address: the PDF is printed and posted
    HELD = "held"  # written, not sent: no mail server set, or not asked to send
    PENDING = "pending"  # to be sent now that the letter is committed
    SENDING = "sending"  # claimed by a sender
    SENT = "sent"
    FAILED = "failed"  # the mail server refused, dropped or timed out: can be retried


SENDABLE = (Send.HELD, Send.PENDING, Send.FAILED)


@dataclass(frozen=True)
class Outgoing:
    """A claimed letter: what the sender needs."""

    id: int
    case_id: int
    eml: str
    recipient: str


INSERT_LETTER = (
    "INSERT INTO letters (case_id, kind, language, produced_at, agent, pdf, eml, recipient, send,"
    " message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _letters(store: Store, where: str, parameters: tuple[object, ...]) -> list[Row]:
    cursor = store.connection.execute(f"SELECT * FROM letters WHERE {where}", parameters)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def letters_of(store: Store, case_id: int) -> list[Row]:
    return _letters(store, "case_id = ? ORDER BY id", (case_id,))


def letter(store: Store, letter_id: int) -> Row:
    [row] = _letters(store, "id = ?", (letter_id,))
    return row


def letter_by_pdf(store: Store, pdf: str) -> Row:
    [row] = _letters(store, "pdf = ?", (pdf,))
    return row


def claim(store: Store, letter_id: int, now: datetime) -> Outgoing | None:
    """Take a letter's e-mail to send it, or None when it is not this sender's to send (sent
    already, being sent by someone else, or without an address)."""
    stale = (now - ABANDONED_AFTER).isoformat(timespec="seconds")
    with store.write() as connection:
        row = connection.execute(
            "UPDATE letters SET send = 'sending', claimed_at = ?, attempts = attempts + 1 "
            "WHERE id = ? AND eml IS NOT NULL AND (send IN (?, ?, ?) "
            "OR (send = 'sending' AND claimed_at < ?)) "
            "RETURNING id, case_id, eml, recipient",
            (now.isoformat(timespec="seconds"), letter_id, *SENDABLE, stale),
        ).fetchone()
    return None if row is None else Outgoing(*row)


def record_send(
    store: Store, outgoing: Outgoing, *, error: str | None, agent: str, now: datetime
) -> None:
    """The mail server's answer, on the letter and in the case's journal (not a change of the
    case: its version stays, so nobody's open form turns stale because an e-mail left)."""
    with store.write() as connection:
        if error is None:
            connection.execute(
                "UPDATE letters SET send = 'sent', sent_at = ?, error = NULL WHERE id = ?",
                (now.isoformat(timespec="seconds"), outgoing.id),
            )
        else:
            connection.execute(
                "UPDATE letters SET send = 'failed', error = ? WHERE id = ?", (error, outgoing.id)
            )
        version = connection.execute(
            "SELECT version FROM cases WHERE id = ?", (outgoing.case_id,)
        ).fetchone()[0]
        append_journal(
            connection,
            outgoing.case_id,
            version,
            at=now,
            agent=agent,
            action=(Move.SENT if error is None else Move.SEND_FAILED).value,
            changes={"recipient": (None, outgoing.recipient)},
            note=error or "",
        )
