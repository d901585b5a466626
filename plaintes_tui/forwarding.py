"""Sending a case's file on to the service or institution competent for it (move FORWARD).

The forwarding is always recorded (to whom, by what means, on which day). When it leaves today
from the program, it also writes what leaves, with the letters of the case:

- by e-mail, to the address the reference data gives the institution (or the address the agent
  typed): a transmission e-mail with the citizen's file — the complaint, the complainant's
  details, the messages received from them attached — sent once through the outbox like a
  letter, after the record is committed;
- by post: the same transmission note as a PDF, to print and post with the file.

Nothing is written for an internal transmission or one dated in the past (it left otherwise),
and nothing leaves for an institution whose reference entry is still an example.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.admissibility import ReferenceData
from plaintes_tui.domain.case_record import Case
from plaintes_tui.domain.cases import reference_folder
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.domain.letters import Letter, examples_left, render_letter
from plaintes_tui.domain.mail import ORIGINAL
from plaintes_tui.domain.validation import (
    InvalidValue,
    display_niss,
    display_phone,
    normalise_email,
)
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import long_date, tr
from plaintes_tui.letters import (
    LetterRefused,
    house_values,
    letter_row,
    postal_address,
    send_letter,
    write_letter_files,
    written_then_recorded,
)
from plaintes_tui.settings import Settings
from plaintes_tui.store.case_rows import case_of
from plaintes_tui.store.cases import get_case, stale_error
from plaintes_tui.store.database import Store
from plaintes_tui.store.mailbox import messages_of
from plaintes_tui.store.outbox import Send, letter_by_pdf
from plaintes_tui.store.workflow import perform

KIND = "forwarding"  # the letters' kind of a transmission note (not a letter to the citizen)


@dataclass(frozen=True)
class Forwarded:
    case: Case
    files: tuple[Path, ...] = ()
    send: Send = Send.NONE
    error: str | None = None  # the mail server's reason when the e-mail did not leave
    notice: str | None = None  # why nothing was written although the means was e-mail


def recipient_of(to: str, reference: ReferenceData) -> str | None:
    """The e-mail address a file sent on to ``to`` goes to: the reference entry's, or ``to``
    itself when the agent typed an address."""
    entry = reference.entry_for(to)
    if entry is not None:
        return entry.email
    try:
        return normalise_email(to)
    except InvalidValue:
        return None


def forward_file(
    store: Store,
    case_id: int,
    expected_version: int,
    params: dict[str, Any],
    *,
    settings: Settings,
    actor: Actor,
    now: datetime,
    calculator: DeadlineCalculator,
    reference: ReferenceData,
    send: bool = True,
) -> Forwarded:
    """Record the forwarding of the case read at ``expected_version`` (``params``: ``to``,
    ``means``, ``date``, ``notes``) and write what leaves with it today (see the module)."""
    row = get_case(store, case_id)
    if row["version"] != expected_version:
        raise stale_error(store.connection, row, expected_version)
    door = _Door(store, case_of(row), expected_version, params, actor, now, calculator)
    to, means = str(params["to"]), str(params["means"])
    recipient = recipient_of(to, reference) if means == "email" else None
    if means == "email" and recipient is None:
        return Forwarded(case_of(door.record()), notice=tr("forwarding.no_address", to=to))
    if means == "internal" or (params.get("date") or now.date()) != now.date():
        return Forwarded(case_of(door.record()))  # it left otherwise: only the record
    examples = examples_left(to)
    if examples:
        raise LetterRefused(tr("forwarding.example", items=" ; ".join(examples)))
    state = Send.NONE if recipient is None else Send.PENDING if send else Send.HELD
    if state is Send.PENDING and not settings.smtp.enabled:
        state = Send.HELD
    updated, files = _write_and_record(door, to, recipient, state, settings)
    error = None
    if state is Send.PENDING:
        letter_id = int(letter_by_pdf(store, str(files[0]))["id"])
        state, error = send_letter(store, letter_id, settings=settings, actor=actor, now=now)
    return Forwarded(case_of(updated), files, state, error)


@dataclass(frozen=True)
class _Door:
    """The forwarding of one case as read, through the one door."""

    store: Store
    case: Case
    expected_version: int
    params: dict[str, Any]
    actor: Actor
    now: datetime
    calculator: DeadlineCalculator

    def record(
        self, files: Sequence[Path] = (), also: Sequence[tuple[str, tuple[object, ...]]] = ()
    ) -> dict[str, Any]:
        """The forwarding's facts in the journal, the files written for it named in its note."""
        notes = str(self.params.get("notes") or "")
        written = " ; ".join(str(path) for path in files)
        params = {**self.params, "notes": " — ".join(part for part in (notes, written) if part)}
        return perform(
            self.store,
            self.case.id,
            self.expected_version,
            Move.FORWARD,
            params,
            actor=self.actor,
            now=self.now,
            calculator=self.calculator,
            also=also,
        )


def _write_and_record(
    door: _Door, to: str, recipient: str | None, state: Send, settings: Settings
) -> tuple[dict[str, Any], tuple[Path, ...]]:
    """The note (and its e-mail) written, recorded with the forwarding, then put in place."""
    case, now, store = door.case, door.now, door.store
    originals = [(f"message-{n}.eml", path) for n, path in enumerate(_originals(store, case), 1)]
    if recipient is None:  # on paper: the messages do not go with it, the note says so
        originals, kept = [], len(originals)
    else:
        kept = 0
    note = transmission_note(case, door.params, settings, door.actor.login, len(originals), kept)
    folder = settings.output / reference_folder(case.reference)
    stem = f"{now:%Y%m%d-%H%M%S}-{KIND}-v{door.expected_version + 1}"
    final = [folder / f"{stem}.pdf", *([folder / f"{stem}.eml"] if recipient else [])]
    row = letter_row(case, KIND, now, door.actor.login, final, recipient, state)
    updated = written_then_recorded(
        final,
        lambda partial: write_letter_files(
            partial,
            note,
            case,
            settings=settings,
            now=now,
            address=to.split(" — ")[0].split(", "),  # the entry: name, street, town, each line
            to=("", recipient or ""),
            attachments=originals,
        ),
        lambda: door.record(final, [row]),
    )
    return updated, tuple(final)


def transmission_note(
    case: Case,
    params: dict[str, Any],
    settings: Settings,
    agent: str,
    attached: int,
    kept: int = 0,
) -> Letter:
    """The note that goes with the file, in the case's language (the file's own);
    ``attached``: how many of the complainant's messages go with it (by e-mail); ``kept``:
    how many the service holds that a note by post does not carry."""
    language = case.language.value
    person = case.complainant
    values: dict[str, Any] = {
        "reference": case.reference,
        "received": long_date(case.received, language),
        "subject": case.subject,
        "description": case.description,
        "person": {
            "name": person.addressed_name,
            "address": postal_address(case, ""),
            "phone": display_phone(person.phone) if person.phone else "",
            "email": person.email or "",
            "niss": display_niss(person.niss) if person.niss else "",
        },
        "attached": attached,
        "kept": kept,
        "notes": str(params.get("notes") or ""),
        **house_values(settings, agent, language, []),
    }
    return render_letter(KIND, language, values, settings.overrides)


def _originals(store: Store, case: Case) -> list[Path]:
    """The messages received from the complainant for this case, as they arrived."""
    found = (Path(mail.folder) / ORIGINAL for mail in messages_of(store, case.id))
    return [path for path in found if path.is_file()]
