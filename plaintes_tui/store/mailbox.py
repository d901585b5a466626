"""The service's mailbox in the store: messages imported once, waiting in the inbox, attached
to their case, dismissed with a reason, or quarantined.

A message is recorded in one transaction with what it does to a case (an e-mail received,
journaled); its key is unique, so a second import — another agent's, cron's — of the same
message records nothing and counts it as a duplicate.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.cases import WAITING_FOR_COMPLAINANT
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import short_moment, tr
from plaintes_tui.printable import one_line
from plaintes_tui.store.case_writer import check_actor
from plaintes_tui.store.database import Store, StoreError
from plaintes_tui.store.journal import append_journal

if TYPE_CHECKING:
    from plaintes_tui.domain.mail import ParsedMail

# Why a message that is not a complaint was set aside (the inbox's `d`).
DISMISS_REASONS = ("not_a_complaint", "spam", "duplicate", "other")


@dataclass(frozen=True)
class StoredMail:
    id: int
    state: str
    received: date
    arrived_at: str
    date_trusted: bool
    sender_name: str
    sender_email: str
    subject: str
    body: str
    attachments: list[dict[str, Any]]
    web_form: bool
    auto_reply: bool
    folder: str
    case_id: int | None
    reason: str
    note: str
    scan: dict[str, Any] | None = None  # a scanned letter: what the OCR found (store/scans.py)

    @classmethod
    def of(cls, row: sqlite3.Row | tuple[Any, ...], names: list[str]) -> StoredMail:
        values = dict(zip(names, row, strict=True))
        return cls(
            id=values["id"],
            state=values["state"],
            received=date.fromisoformat(values["received"]),
            arrived_at=values["arrived_at"],
            date_trusted=bool(values["date_trusted"]),
            sender_name=values["sender_name"],
            sender_email=values["sender_email"],
            subject=values["subject"],
            body=values["body"],
            attachments=json.loads(values["attachments"]),
            web_form=bool(values["web_form"]),
            auto_reply=bool(values["auto_reply"]),
            folder=values["folder"],
            case_id=values["case_id"],
            reason=values["reason"],
            note=values["note"],
            scan=json.loads(values["scan"]) if values.get("scan") else None,
        )


def _select(store: Store, where: str, parameters: tuple[object, ...]) -> list[StoredMail]:
    cursor = store.connection.execute(
        "SELECT id, state, received, arrived_at, date_trusted, sender_name, sender_email, "
        "subject, body, attachments, web_form, auto_reply, folder, case_id, reason, note, scan "
        f"FROM mail_messages WHERE {where}",
        parameters,
    )
    names = [d[0] for d in cursor.description]
    return [StoredMail.of(row, names) for row in cursor.fetchall()]


def inbox(store: Store) -> list[StoredMail]:
    """Messages waiting to become cases, oldest first (the clocks run from their receipt)."""
    return _select(store, "state = 'inbox' ORDER BY received, id", ())


def waiting_scans(store: Store) -> list[StoredMail]:
    """The scanned letters of the inbox, in its order: the mailroom's pile."""
    return _select(store, "state = 'inbox' AND scan IS NOT NULL ORDER BY received, id", ())


def quarantined(store: Store) -> list[StoredMail]:
    return _select(store, "state = 'quarantined' ORDER BY id DESC", ())


def messages_of(store: Store, case_id: int) -> list[StoredMail]:
    return _select(store, "case_id = ? ORDER BY arrived_at, id", (case_id,))


def get_mail(store: Store, mail_id: int) -> StoredMail:
    found = _select(store, "id = ?", (mail_id,))
    if not found:
        raise StoreError(tr("mail.no_message", id=mail_id))
    return found[0]


def is_known(store: Store, key: str) -> bool:
    row = store.connection.execute(
        "SELECT 1 FROM mail_messages WHERE message_key = ?", (key,)
    ).fetchone()
    return row is not None


# A sender the case's complainant is known by: their record's address, or the sender of a
# message already attached to one of their cases.
_SENT_BY_THEM = """
SELECT 1 FROM cases AS c JOIN complainants AS p ON p.id = c.complainant_id
WHERE c.id = :case AND (p.email = :sender COLLATE NOCASE OR EXISTS (
    SELECT 1 FROM mail_messages AS m JOIN cases AS theirs ON theirs.id = m.case_id
    WHERE theirs.complainant_id = p.id AND m.sender_email = :sender COLLATE NOCASE))
"""


def cited_cases(store: Store, references: tuple[str, ...]) -> list[tuple[int, str]]:
    """The cases among ``references`` that exist: (id, reference), in the order named."""
    found = []
    for reference in references:
        row = store.connection.execute(
            "SELECT id, reference FROM cases WHERE reference = ?", (reference,)
        ).fetchone()
        if row is not None:
            found.append((int(row[0]), str(row[1])))
    return found


def case_answered(store: Store, answers: tuple[str, ...]) -> tuple[int, str] | None:
    """The case of the program's own letter a message answers (its In-Reply-To or References
    name that letter's Message-ID): (id, reference). Whatever address the citizen answers
    from, the answer is theirs."""
    for message_id in answers:
        row = store.connection.execute(
            "SELECT cases.id, cases.reference FROM letters "
            "JOIN cases ON cases.id = letters.case_id "
            "WHERE letters.message_id = ? ORDER BY letters.id DESC LIMIT 1",
            (message_id,),
        ).fetchone()
        if row is not None:
            return int(row[0]), str(row[1])
    return None


def case_for(store: Store, references: tuple[str, ...], sender: str) -> tuple[int, str] | None:
    """The first case among ``references`` whose complainant sent the message (by an address
    known to be theirs): (id, reference). A reference quoted by anyone else attaches nothing —
    a typo would put a citizen's message in a stranger's file; it waits in the inbox, where
    an agent attaches it (``attach_to_case``)."""
    for case in cited_cases(store, references):
        mine = store.connection.execute(_SENT_BY_THEM, {"case": case[0], "sender": sender})
        if mine.fetchone() is not None:
            return case
    return None


_INSERT = (
    "INSERT INTO mail_messages (message_key, state, received, arrived_at, date_trusted, "
    "sender_name, sender_email, subject, body, attachments, web_form, auto_reply, folder, "
    "source, case_id, reason, imported_at, imported_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (message_key) DO NOTHING RETURNING id"
)


def record_mail(
    connection: sqlite3.Connection,
    mail: ParsedMail,
    *,
    folder: str,
    source: str,
    case_id: int | None,
    agent: str,
    now: datetime,
) -> int | None:
    """Record a message in the caller's write transaction — in the inbox, or attached to
    ``case_id`` and journaled there; None when it was already recorded."""
    attachments = [
        {"name": a.name, "type": a.content_type, "size": len(a.data)} for a in mail.attachments
    ]
    row = connection.execute(
        _INSERT,
        (
            mail.key,
            "attached" if case_id is not None else "inbox",
            mail.arrived.date().isoformat(),
            mail.arrived.isoformat(timespec="seconds"),
            int(mail.date_trusted),
            mail.sender_name,
            mail.sender_email,
            mail.subject,
            mail.body,
            json.dumps(attachments, ensure_ascii=False),
            int(mail.web_form),
            int(mail.auto_reply),
            folder,
            source,
            case_id,
            "",
            now.isoformat(timespec="seconds"),
            agent,
        ),
    ).fetchone()
    if row is None:
        return None
    mail_id = int(row[0])
    if case_id is not None:
        _journal_received(connection, case_id, mail_id, agent, now, auto_reply=mail.auto_reply)
    return mail_id


def _journal_received(
    connection: sqlite3.Connection,
    case_id: int,
    mail_id: int,
    agent: str,
    now: datetime,
    *,
    auto_reply: bool = False,
) -> None:
    """A message received, journaled on its case: a fact, the case's version stays (no open
    form turns stale)."""
    (version,) = connection.execute("SELECT version FROM cases WHERE id = ?", (case_id,)).fetchone()
    append_journal(
        connection,
        case_id,
        version,
        at=now,
        agent=agent,
        action=Move.MAIL_RECEIVED.value,
        changes={"mail": (None, mail_id), **({"auto_reply": (None, True)} if auto_reply else {})},
    )


def record_quarantine(
    connection: sqlite3.Connection,
    *,
    key: str,
    reason: str,
    folder: str,
    source: str,
    agent: str,
    now: datetime,
) -> int | None:
    """A message that could not be read, kept aside with its reason; None if already kept."""
    row = connection.execute(
        _INSERT,
        (
            key,
            "quarantined",
            now.date().isoformat(),
            now.isoformat(timespec="seconds"),
            0,
            "",
            "",
            "",
            "",
            "[]",
            0,
            0,
            folder,
            source,
            None,
            reason,
            now.isoformat(timespec="seconds"),
            agent,
        ),
    ).fetchone()
    return int(row[0]) if row else None


def dismiss(
    store: Store, mail_id: int, reason: str, note: str, *, actor: Actor, now: datetime
) -> None:
    """Set a message aside as not a complaint (or spam…), saying who and why; counted."""
    check_actor(actor, Move.LOG)
    if reason not in DISMISS_REASONS:
        raise ValueError(reason)
    with store.write() as connection:
        _take(connection, mail_id)
        connection.execute(
            "UPDATE mail_messages SET state = 'dismissed', reason = ?, note = ?, handled_at = ?, "
            "handled_by = ? WHERE id = ?",
            (reason, note, now.isoformat(timespec="seconds"), actor.login, mail_id),
        )


def _take(connection: sqlite3.Connection, mail_id: int) -> None:
    """Refuse, saying who did, when a colleague already handled the message."""
    row = connection.execute(
        "SELECT state, handled_by, handled_at, case_id FROM mail_messages WHERE id = ?",
        (mail_id,),
    ).fetchone()
    if row is None:
        raise StoreError(tr("mail.no_message", id=mail_id))
    state, who, when, case_id = row
    if state != "inbox":
        reference = ""
        if case_id is not None:
            (reference,) = connection.execute(
                "SELECT reference FROM cases WHERE id = ?", (case_id,)
            ).fetchone()
        raise StoreError(
            tr(
                "mail.already_handled",
                agent=one_line(who or ""),
                when=short_moment(when) if when else "—",
                what=tr(f"mail.state_{state}", reference=reference),
            )
        )


def link_to_new_case(
    connection: sqlite3.Connection, mail_id: int, case_id: int, *, agent: str, now: datetime
) -> None:
    """In the transaction that logs the case: the message becomes that case's (once)."""
    _take(connection, mail_id)
    connection.execute(
        "UPDATE mail_messages SET state = 'case', case_id = ?, handled_at = ?, handled_by = ? "
        "WHERE id = ?",
        (case_id, now.isoformat(timespec="seconds"), agent, mail_id),
    )


def attach_to_case(
    store: Store, mail_id: int, case_id: int, *, actor: Actor, now: datetime
) -> None:
    """An agent attaches a message from the inbox to a case (the one it cites): once, and
    journaled there as a message received. A read-only login may not."""
    check_actor(actor, Move.MAIL_RECEIVED)
    agent = actor.login
    with store.write() as connection:
        _take(connection, mail_id)
        connection.execute(
            "UPDATE mail_messages SET state = 'attached', case_id = ?, handled_at = ?, "
            "handled_by = ? WHERE id = ?",
            (case_id, now.isoformat(timespec="seconds"), agent, mail_id),
        )
        _journal_received(connection, case_id, mail_id, agent, now)


def awaits_details(status: str) -> bool:
    """A case whose clock waits for the complainant: an e-mail from them may resume it."""
    return status in WAITING_FOR_COMPLAINANT
