"""Creating and changing cases: references, the journal and optimistic locking.

Every change goes through ``create_case`` or ``update_case``, which write the case and its
journal row in one transaction. A case carries a version; saving from a stale copy is refused.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from typing import Any

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.case_record import (
    UPDATABLE,
    Case,
    CaseChanges,
    JournalEntry,
)
from plaintes_tui.domain.cases import (
    ACK_NOT_OWED,
    Admissibility,
    Category,
    Channel,
    Language,
    Status,
    format_reference,
)
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.domain.intake import CheckedForm
from plaintes_tui.domain.services import Service, suggested
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import moment, tr, tr_or
from plaintes_tui.printable import clean, one_line
from plaintes_tui.store.case_rows import case_of, next_due_of
from plaintes_tui.store.case_writer import check_actor, write_cases
from plaintes_tui.store.database import Store, StoreError
from plaintes_tui.store.journal import append_journal, iso

Row = dict[str, Any]

_WRITES_CASES = re.compile(r"\b(UPDATE|INTO)\s+cases\b", re.IGNORECASE)


@dataclass(frozen=True)
class ComplainantInput:
    last_name: str
    first_name: str = ""
    phone: str | None = None  # E.164, already checked
    email: str | None = None
    street: str | None = None
    postal_code: str | None = None
    town: str | None = None
    language: Language = Language.FR
    niss: str | None = None
    country: str | None = None  # ISO 3166 code of a foreign address; None: Belgium

    @property
    def contact_incomplete(self) -> bool:
        return not self.phone and not self.email

    @property
    def unreachable(self) -> bool:
        """No way to answer: no phone, no e-mail, no postal address."""
        return self.contact_incomplete and not (self.street and self.town)


@dataclass(frozen=True)
class CaseInput:
    channel: Channel
    received: date
    category: Category
    subject: str
    description: str = ""
    language: Language = Language.FR
    received_time: time | None = None
    urgent: bool = False
    anonymous: bool = False  # no name given (see create_case for the acknowledgement)
    assigned_to: str | None = None
    service: str | None = None  # the service concerned, a code of the settings' [services]


class StaleCaseError(StoreError):
    """The case changed since it was read: nothing was saved."""

    def __init__(self, reference: str, agent: str, at: str, fields: list[str]) -> None:
        super().__init__(
            tr(
                "store.stale",
                reference=reference,
                agent=one_line(agent),
                when=moment(at),
                fields=f" ({', '.join(tr_or(f'field.{name}', name) for name in fields)})"
                if fields
                else "",
            )
        )
        self.agent = agent
        self.at = at
        self.fields = fields


class CaseNotFoundError(StoreError):
    pass


def allocate_reference(connection: sqlite3.Connection, year: int) -> str:
    """The next ``P-YYYY-NNNNN`` for that year; call inside a write transaction."""
    (number,) = connection.execute(
        "INSERT INTO reference_counters (year, last_number) VALUES (?, 1) "
        "ON CONFLICT (year) DO UPDATE SET last_number = last_number + 1 RETURNING last_number",
        (year,),
    ).fetchone()
    return format_reference(year, int(number))


def insert_complainant(
    connection: sqlite3.Connection, person: ComplainantInput, *, at: datetime, agent: str
) -> int:
    values = {k: clean(v) if isinstance(v, str) else iso(v) for k, v in asdict(person).items()}
    values.update(created_at=iso(at), created_by=agent)
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = connection.execute(
        f"INSERT INTO complainants ({columns}) VALUES ({marks})", tuple(values.values())
    )
    return int(cursor.lastrowid or 0)


def create_case(
    store: Store,
    complainant: ComplainantInput | int,
    case: CaseInput,
    *,
    actor: Actor,
    now: datetime,
    calculator: DeadlineCalculator,
    draft_of: str | None = None,
    mail_id: int | None = None,
) -> Row:
    """Log a new case (and its complainant, unless an existing one's id is given).

    ``mail_id``: the inbox's e-mail this case is logged from; it becomes the case's in the
    same transaction, or the case is not logged if a colleague handled that e-mail first.

    ``draft_of``: the agent whose intake draft this case comes from; the draft goes in the
    same transaction, so that a session killed after the save never offers it back (which
    would log the case twice). ``actor``'s role must allow logging (not read-only).
    """
    check_actor(actor, Move.LOG)
    agent = actor.login
    clocks = calculator.clocks(case.received, case.received_time)
    with store.write() as connection:
        if isinstance(complainant, int):
            complainant_id = complainant
            row = connection.execute(
                "SELECT phone, email FROM complainants WHERE id = ?", (complainant_id,)
            ).fetchone()
            if row is None:
                raise StoreError(tr("store.no_complainant", id=complainant_id))
            contact_incomplete = not row[0] and not row[1]
            unreachable = False
        else:
            complainant_id = insert_complainant(connection, complainant, at=now, agent=agent)
            contact_incomplete = complainant.contact_incomplete
            unreachable = complainant.unreachable
        reference = allocate_reference(connection, case.received.year)
        values: Row = {
            "reference": reference,
            "complainant_id": complainant_id,
            "channel": case.channel.value,
            "received": case.received.isoformat(),
            "received_time": case.received_time.strftime("%H:%M") if case.received_time else None,
            "logged_at": iso(now),
            "logged_by": agent,
            "language": case.language.value,
            "category": case.category.value,
            "subject": clean(case.subject),
            "description": clean(case.description, lines=True),
            "urgent": int(case.urgent),
            "contact_incomplete": int(contact_incomplete),
            "status": Status.RECEIVED.value,
            "assigned_to": case.assigned_to,
            "service": case.service,
            "acknowledgement_due": clocks.acknowledgement_due.isoformat(),
            "reply_due_original": clocks.reply_due.isoformat(),
            "reply_due": clocks.reply_due.isoformat(),
            "updated_at": iso(now),
            "updated_by": agent,
        }
        values.update(acknowledgement_sent=None, reply_sent=None, anonymous=int(case.anonymous))
        not_owed = case.anonymous and unreachable
        if not_owed:  # nobody to acknowledge or answer: logged and counted, no clock runs
            values.update(
                acknowledgement_sent=case.received.isoformat(),
                acknowledgement_means=ACK_NOT_OWED,
                reply_due_original=None,
                reply_due=None,
            )
        values["next_due"] = next_due_of(values)
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cursor = connection.execute(
            f"INSERT INTO cases ({columns}) VALUES ({marks})", tuple(values.values())
        )
        case_id = int(cursor.lastrowid or 0)
        append_journal(
            connection,
            case_id,
            1,
            at=now,
            agent=agent,
            action=Move.LOG.value,
            changes={
                "channel": (None, case.channel.value),
                "received": (None, case.received),
                "acknowledgement_due": (None, clocks.acknowledgement_due),
                "reply_due": (None, clocks.reply_due),
                **({"anonymous": (None, True)} if case.anonymous else {}),
                **({"service": (None, case.service)} if case.service else {}),
                **({"acknowledgement_means": (None, ACK_NOT_OWED)} if not_owed else {}),
                **({"mail": (None, mail_id)} if mail_id is not None else {}),
            },
        )
        if mail_id is not None:
            from plaintes_tui.store.mailbox import link_to_new_case

            link_to_new_case(connection, mail_id, case_id, agent=agent, now=now)
        if draft_of is not None:
            connection.execute("DELETE FROM drafts WHERE agent = ?", (draft_of,))
    return get_case(store, case_id)


def get_case(store: Store, key: int | str) -> Row:
    """A case with its complainant's columns (``complainant_*``), by id or reference."""
    column = "cases.id" if isinstance(key, int) else "cases.reference"
    rows = list(
        store.db.query(
            "SELECT cases.*, complainants.last_name AS complainant_last_name, "
            "complainants.first_name AS complainant_first_name, "
            "complainants.phone AS complainant_phone, complainants.email AS complainant_email, "
            "complainants.street AS complainant_street, "
            "complainants.postal_code AS complainant_postal_code, "
            "complainants.town AS complainant_town, complainants.niss AS complainant_niss, "
            "complainants.country AS complainant_country "
            f"FROM cases JOIN complainants ON complainants.id = cases.complainant_id "
            f"WHERE {column} = ?",
            (key if isinstance(key, int) else key.strip().upper(),),
        )
    )
    if not rows:
        raise CaseNotFoundError(tr("store.no_case", reference=key))
    return rows[0]


def read_case(store: Store, key: int | str) -> Case:
    """A case with its complainant, typed (by id or reference)."""
    return case_of(get_case(store, key))


# The columns that hold lines of text (newlines and tabs kept when cleaned).
_LONG_TEXT = frozenset(
    {"description", "admissibility_reason", "improvement_action", "ombudsman_recommendation"}
)


def update_case(
    store: Store,
    case_id: int,
    expected_version: int,
    changes: CaseChanges,
    *,
    actor: Actor,
    move: Move,
    now: datetime,
    note: str = "",
    params: Mapping[str, Any] | None = None,
    also: Sequence[tuple[str, tuple[object, ...]]] = (),
    journal_only: Mapping[str, tuple[object, object]] | None = None,
) -> Row:
    """Apply ``changes`` to a case read at ``expected_version``; journal what really changed.

    Only :func:`plaintes_tui.store.workflow.perform` calls this: it checks the rule first.
    ``also`` holds further statements (SQL, parameters) written in the same transaction;
    ``journal_only`` facts the journal records that are not columns of the case.
    """
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    for sql, _ in also:
        if _WRITES_CASES.search(sql):  # the journal's state is the door's UPDATE
            raise ValueError(f"a statement beside a change may not write cases: {sql}")
    with store.write() as connection:
        cursor = connection.execute("SELECT * FROM cases WHERE id = ?", (case_id,))
        names = [d[0] for d in cursor.description]
        found = cursor.fetchone()
        if found is None:
            raise CaseNotFoundError(tr("store.no_case", reference=case_id))
        current = dict(zip(names, found, strict=True))
        if current["version"] != expected_version:
            raise stale_error(connection, current, expected_version)
        new_values = {
            k: clean(v, lines=k in _LONG_TEXT) if isinstance(v, str) else iso(v)
            for k, v in changes.items()
        }
        if isinstance(new_values.get("status"), Status | Admissibility):
            new_values["status"] = str(new_values["status"])
        diff = {k: (current[k], v) for k, v in new_values.items() if current[k] != v}
        next_due = next_due_of({**current, **new_values})
        if next_due != current["next_due"]:
            new_values["next_due"] = next_due
        write_cases(
            connection,
            actor=actor,
            move=move,
            where="id = ?",
            parameters=(case_id,),
            now=now,
            values=new_values,
            changes={**diff, **(journal_only or {})},
            note=note,
            params=params,
        )
        for sql, parameters in also:
            connection.execute(sql, tuple(iso(p) for p in parameters))
    return get_case(store, case_id)


def stale_error(
    connection: sqlite3.Connection, current: Row, expected_version: int
) -> StaleCaseError:
    """Who changed the case since ``expected_version``, when, and which fields."""
    fields: set[str] = set()
    changes_since = connection.execute(
        "SELECT changes FROM journal WHERE case_id = ? AND case_version > ?",
        (current["id"], expected_version),
    ).fetchall()
    for (changes,) in changes_since:
        fields.update(json.loads(changes))
    return StaleCaseError(
        current["reference"], current["updated_by"], current["updated_at"], sorted(fields)
    )


def journal_of(store: Store, case_id: int) -> list[JournalEntry]:
    """The case's journal, oldest first."""
    rows = store.connection.execute(
        "SELECT id, at, agent, action, changes, note FROM journal WHERE case_id = ? ORDER BY id",
        (case_id,),
    )
    return [
        JournalEntry(id_, datetime.fromisoformat(at), agent, action, json.loads(changes), note)
        for id_, at, agent, action, changes, note in rows
    ]


def last_fact(store: Store, case_id: int, action: str, name: str) -> str:
    """A fact the case's latest ``action`` kept in the journal (``changes[name]``'s new
    value), or "" when it kept none."""
    row = store.connection.execute(
        "SELECT json_extract(changes, ?) FROM journal WHERE case_id = ? AND action = ? "
        "ORDER BY id DESC LIMIT 1",
        (f"$.{name}[1]", case_id, action),
    ).fetchone()
    return str(row[0]) if row and row[0] is not None else ""


def last_note(store: Store, case_id: int, action: str) -> str:
    """The note of the case's latest ``action`` in the journal (e.g. the reply's summary)."""
    row = store.connection.execute(
        "SELECT note FROM journal WHERE case_id = ? AND action = ? ORDER BY id DESC LIMIT 1",
        (case_id, action),
    ).fetchone()
    return str(row[0]) if row else ""


def intake_inputs(
    checked: CheckedForm, now: datetime, services: Sequence[Service] = ()
) -> tuple[ComplainantInput, CaseInput]:
    """The person and the case an intake form's checked values make: a call taken today keeps
    its time (it may count from the next working day, see the deadline rules); the service
    concerned is the one ``services`` map its category to, if one (changed in the case file)."""
    values = checked.values
    channel = Channel(values["channel"])
    person = ComplainantInput(
        last_name=values["last_name"],
        first_name=values["first_name"],
        phone=values["phone"] or None,
        email=values["email"] or None,
        street=values["street"] or None,
        postal_code=values["postal_code"] or None,
        town=values["town"] or None,
        country=values["country"] or None,
        language=Language(values["language"]),
        niss=values["niss"] or None,
    )
    case = CaseInput(
        channel=channel,
        received=checked.received,
        received_time=now.time().replace(second=0, microsecond=0)
        if channel is Channel.PHONE and checked.received == now.date()
        else None,
        category=Category(values["category"] or Category.OTHER),
        service=suggested(services, values["category"] or Category.OTHER),
        subject=values["subject"],
        description=values["description"],
        language=Language(values["language"]),
        urgent=bool(values["urgent"]),
        anonymous=checked.anonymous,
    )
    return person, case
