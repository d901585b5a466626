"""Producing a letter for a case: the template filled in from the case, the decision and the
settings in the letter's language; the files kept with the case; the record through the
workflow; and the e-mail, sent once, only after that record is committed.

What a letter needs that the agent should know (no e-mail address, no entry in the agent
directory, a value borrowed from another language) comes back as notices the dialog shows.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.admissibility import Outcome as Decision
from plaintes_tui.domain.admissibility import ReferenceData, answer_text
from plaintes_tui.domain.case_record import Case, CaseChanges
from plaintes_tui.domain.cases import Admissibility, Status, reference_folder
from plaintes_tui.domain.contacts import FALLBACK, in_language
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.domain.letters import (
    KindChoice,
    Letter,
    LetterKind,
    SendFailed,
    examples_left,
    letter_choices,
    render_letter,
    send_eml,
    write_eml,
    write_pdf,
)
from plaintes_tui.domain.validation import country_name
from plaintes_tui.domain.workflow import Move, reply_left
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import letter_date, long_date, tr
from plaintes_tui.printable import one_line
from plaintes_tui.settings import Settings, SmtpSettings
from plaintes_tui.store.case_rows import case_of
from plaintes_tui.store.case_writer import check_actor
from plaintes_tui.store.cases import Row, get_case, last_fact, last_note, stale_error
from plaintes_tui.store.database import Store
from plaintes_tui.store.outbox import (
    INSERT_LETTER,
    Send,
    claim,
    letter,
    letter_by_pdf,
    record_send,
)
from plaintes_tui.store.workflow import forwarding, perform


class LetterRefused(UserError):
    """The letter cannot be produced as it is; the message says what to do."""


@dataclass(frozen=True)
class Draft:
    """A letter as the template writes it, for the agent to read and edit, and what the agent
    should know before producing it."""

    kind: LetterKind
    letter: Letter
    notices: tuple[str, ...]


@dataclass(frozen=True)
class Produced:
    case: Case
    files: tuple[Path, ...]
    letter_id: int
    send: Send
    error: str | None = None  # the mail server's reason when the e-mail did not leave


def choices_for(store: Store, case: Case) -> list[KindChoice]:
    """The letter dialog's list: every kind, available or with its reason."""
    produced = {
        row[0]
        for row in store.connection.execute(
            "SELECT DISTINCT kind FROM letters WHERE case_id = ?", (case.id,)
        )
    }
    return letter_choices(case, produced)


def house_values(
    settings: Settings, agent: str, language: str, notices: list[str]
) -> dict[str, Any]:
    """What every letter says of the service and the agent writing it, in ``language``: the
    contact person, the service, the Ombudsman, the signature. A value borrowed from another
    language, or an agent missing from the directory, adds to ``notices``."""
    service, borrowed = settings.service.in_language(language)
    ombudsman, borrowed_too = in_language(settings.ombudsman, language)
    for what, fields in (("service", borrowed), ("ombudsman", borrowed_too)):
        if fields:
            notices.append(
                tr(
                    "letters.borrowed",
                    what=tr(f"letters.about_{what}"),
                    fields=", ".join(fields),
                    language=tr(f"language_name.{language}"),
                    fallback=tr(f"language_name.{FALLBACK.get(language, 'fr')}"),
                )
            )
    person = settings.agents.directory.get(agent)
    if person is None:
        notices.append(tr("letters.not_in_directory", agent=agent))
    contact = (
        {"person": True, "name": person.name, "phone": person.phone, "email": person.email}
        if person
        else {"person": False, "name": service.name, "phone": "", "email": ""}
    )
    return {
        "contact": contact,
        "service": {
            **asdict(service),
            "phone": settings.service.phone,
            "urgent_phone": settings.service.urgent_phone,
            "email": settings.service.email,
        },
        "ombudsman": asdict(ombudsman),
        "signature": list(service.signature or (service.name,)),
    }


def draft_letter(
    store: Store,
    case: Case,
    kind: LetterKind,
    *,
    settings: Settings,
    agent: str,
    reference_data: ReferenceData,
    data_folder: Path | None = None,
) -> Draft:
    """The letter ``kind`` for ``case`` in the case's language, from what the agent recorded."""
    language = case.language.value
    notices: list[str] = []
    received = long_date(case.received, language)
    values: dict[str, Any] = {
        "reference": case.reference,
        "received": received,
        "reply_due": long_date(case.reply_due, language) if case.reply_due else "—",
        "subject": case.subject,
        "summary": "",
        "outcome": case.outcome.value if case.outcome else "",
        "improvement": case.improvement_action or "",
        **house_values(settings, agent, language, notices),
        "answer": "",
        # Where an appeal procedure exists, the answer says the Ombudsman does not suspend it.
        "appeal": case.admissibility in (Admissibility.CONTESTED_DECISION, Admissibility.DISPUTE),
    }
    values["complaint"] = ""
    if kind is LetterKind.REPLY:  # both typed with R, in the case's language
        values["summary"] = last_note(store, case.id, Move.REPLY.value)
        values["complaint"] = last_fact(store, case.id, Move.REPLY.value, "complaint")
    if kind is LetterKind.OUT_OF_SCOPE:
        values["answer"] = _routing(store, case, language, received, reference_data, notices)
    if not case.complainant.email:
        notices.append(tr("letters.pdf_only"))
    elif not settings.smtp.enabled:
        notices.append(tr("letters.no_mail_server"))
    letter = render_letter(kind, language, values, data_folder or settings.overrides)
    return Draft(kind, letter, tuple(notices))


def _routing(
    store: Store,
    case: Case,
    language: str,
    received: str,
    reference_data: ReferenceData,
    notices: list[str],
) -> str:
    """The out-of-scope answer's own text: where the complainant should go, in their language."""
    if case.admissibility is None:  # offered once decided only (letter_choices)
        raise ValueError(f"{case.reference}: no decision to answer")
    decision = Decision(case.admissibility)
    reason = case.admissibility_reason or ""
    entry = reference_data.entry_for(reason) if reason else None
    if decision.admissibility is Admissibility.REDIRECTED_DG_HANDICAP and not reason:
        entry = reference_data.dg_handicap
    where = entry.in_language(language) if entry else reason
    if reason and (entry is None or language not in entry.text) and language != "fr":
        notices.append(tr("letters.routing_in_french"))
    if examples_left(where):
        notices.append(tr("letters.example_routing"))
    sent_on = forwarding(store, case.id)
    return answer_text(
        decision,
        language=language,
        reference=case.reference,
        received=received,
        where=where,
        forwarded_on=long_date(sent_on.on, language) if sent_on else None,
    )


def produce_letter(
    store: Store,
    case_id: int,
    expected_version: int,
    kind: LetterKind,
    letter: Letter,
    *,
    settings: Settings,
    actor: Actor,
    now: datetime,
    calculator: DeadlineCalculator,
    send: bool = True,
    output_folder: Path | None = None,
) -> Produced:
    """Write the letter as PDF (and ``.eml`` when the complainant has an e-mail address)
    beside the case's other letters, journal it and record it (an acknowledgement or an
    out-of-scope answer counts as sent) in one transaction; then, only when that committed,
    send the e-mail if ``send`` and a mail server is set.

    A stale case, a refused move or a letter still holding a placeholder writes no file."""
    agent = actor.login
    case = _case_to_write(store, case_id, expected_version, kind, letter)
    folder = (output_folder or settings.output) / reference_folder(case.reference)
    stem = f"{now:%Y%m%d-%H%M%S}-{kind.value}-v{expected_version + 1}"
    recipient = case.complainant.email or None
    final = [folder / f"{stem}.pdf", *([folder / f"{stem}.eml"] if recipient else [])]
    state = Send.NONE if not recipient else Send.PENDING if send else Send.HELD
    if state is Send.PENDING and not settings.smtp.enabled:
        state = Send.HELD
    name = case.complainant.addressed_name
    message_id = message_id_of(final, case, settings.service.email)
    updated = written_then_recorded(
        final,
        lambda partial: write_letter_files(
            partial,
            letter,
            case,
            settings=settings,
            now=now,
            address=postal_address(case, name),
            to=(name, recipient or ""),
            message_id=message_id,
        ),
        lambda: perform(
            store,
            case_id,
            expected_version,
            Move.LETTER,
            {
                "kind": kind.value,
                "note": " ; ".join(str(path) for path in final),
                "changes": _counts_as(case, kind, recipient, now),
            },
            actor=actor,
            now=now,
            calculator=calculator,
            also=[letter_row(case, kind.value, now, agent, final, recipient, state, message_id)],
        ),
    )
    letter_id = int(letter_by_pdf(store, str(final[0]))["id"])
    error = None
    if state is Send.PENDING:
        state, error = send_letter(store, letter_id, settings=settings, actor=actor, now=now)
    return Produced(case_of(updated), tuple(final), letter_id, state, error)


def _case_to_write(
    store: Store, case_id: int, expected_version: int, kind: LetterKind, letter: Letter
) -> Case:
    """The case, when this letter may be written for it as read; else why not."""
    row = get_case(store, case_id)
    if row["version"] != expected_version:
        raise stale_error(store.connection, row, expected_version)
    case = case_of(row)
    choice = next(c for c in choices_for(store, case) if c.kind is kind)
    if choice.why_not:
        raise LetterRefused(tr(choice.why_not))
    left = letter.placeholders()
    if left:
        raise LetterRefused(tr("letters.placeholders_left", items=" ; ".join(left)))
    examples = examples_left(letter.body)
    if examples:
        raise LetterRefused(tr("letters.examples_left", items=" ; ".join(examples)))
    recipient = case.complainant.email
    if recipient is not None and not _one_address(recipient):
        raise LetterRefused(tr("letters.bad_address", address=one_line(recipient)))
    return case


def written_then_recorded(
    final: list[Path], write: Callable[[list[Path]], None], record: Callable[[], Row]
) -> Row:
    """Files ``write`` puts under temporary names beside ``final`` (never shared with another
    agent's), then ``record`` (the move that names them); put in place only once it
    committed: a stale case or a refused move leaves no file."""
    final[0].parent.mkdir(parents=True, exist_ok=True)
    partial = [_unique_part(path) for path in final]
    try:
        write(partial)
        updated = record()
    except BaseException:
        for path in partial:
            path.unlink(missing_ok=True)
        raise
    for temporary, path in zip(partial, final, strict=True):
        temporary.replace(path)
    return updated


def message_id_of(final: list[Path], case: Case, sender: str) -> str:
    """The Message-ID of a letter's e-mail: unique (its file's name) and naming its case, so
    that an answer to it (In-Reply-To) finds the case even without the stored id."""
    return f"<{final[0].stem}.{case.reference}@{sender.partition('@')[2] or 'localhost'}>"


def letter_row(
    case: Case,
    kind: str,
    now: datetime,
    agent: str,
    final: list[Path],
    recipient: str | None,
    state: Send,
    message_id: str | None = None,
) -> tuple[str, tuple[object, ...]]:
    """The outbox's row of a letter written in ``final`` (its PDF, then its e-mail)."""
    return (
        INSERT_LETTER,
        (
            case.id,
            kind,
            case.language.value,
            now.isoformat(timespec="seconds"),
            agent,
            str(final[0]),
            str(final[1]) if recipient else None,
            recipient,
            state.value,
            message_id if recipient else None,
        ),
    )


def write_letter_files(
    paths: list[Path],
    letter: Letter,
    case: Case,
    *,
    settings: Settings,
    now: datetime,
    address: list[str],
    to: tuple[str, str],
    attachments: Sequence[tuple[str, Path]] = (),
    message_id: str | None = None,
) -> None:
    """The letter's PDF in ``paths[0]`` (``address`` in the envelope's window), and its
    e-mail to ``to`` (name, address) in ``paths[1]`` when there is one."""
    service, _ = settings.service.in_language(case.language)
    write_pdf(
        paths[0],
        letter,
        letterhead=list(service.letterhead)
        or [service.name, service.address, f"{settings.service.phone} — {settings.service.email}"],
        address=address,
        place_date=f"{service.place}, {letter_date(now.date(), case.language)}",
    )
    if len(paths) > 1:
        write_eml(
            paths[1],
            letter,
            sender=(service.name, settings.service.email),
            recipient=to,
            reference=case.reference,
            now=now,
            attachments=attachments,
            message_id=message_id,
        )


def _one_address(text: str) -> bool:
    """Whether ``text`` is one e-mail address the message can be sent to (a record written
    before addresses were checked may hold two, or none)."""
    from email.errors import HeaderParseError
    from email.headerregistry import Address

    try:
        return bool(Address(addr_spec=text).domain)
    except (ValueError, IndexError, HeaderParseError):
        return False


def _unique_part(path: Path) -> Path:
    """An empty file of a unique name beside ``path``, to write it under before it is put in
    place: two agents producing the same letter at once never write, or clean up, each
    other's."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    return Path(name)


def postal_address(case: Case, name: str) -> list[str]:
    """The lines of the envelope's window; a foreign address ends with its country, named in
    the letter's language (for the Belgian post's sorting)."""
    person = case.complainant
    town = " ".join(p for p in (person.postal_code, person.town) if p)
    abroad = country_name(person.country, case.language).upper() if person.country else ""
    return [line for line in (name, person.street, town, abroad) if line]


def _counts_as(case: Case, kind: LetterKind, recipient: str | None, now: datetime) -> CaseChanges:
    """What the letter records in the case: each of these confirms receipt (the request for
    missing details gives the reference); the reasoned reply is sent the day its letter is
    produced (e-mailed, or printed to be posted); the out-of-scope answer ends the case."""
    changes: CaseChanges = {}
    confirms = kind in (
        LetterKind.ACKNOWLEDGEMENT,
        LetterKind.OUT_OF_SCOPE,
        LetterKind.DETAILS_REQUEST,
    )
    if confirms and not case.acknowledgement_sent:
        changes["acknowledgement_sent"] = now.date()
        means = "email" if recipient else "letter"
        if kind is LetterKind.DETAILS_REQUEST:
            means = "details_request"
        changes["acknowledgement_means"] = means
    if kind is LetterKind.REPLY and not case.reply_sent:
        changes.update(reply_left(case, now.date()))
    if kind is LetterKind.OUT_OF_SCOPE and case.status is Status.OUT_OF_SCOPE:
        changes.update({"status": Status.CLOSED.value, "closed_at": now.date()})
    return changes


def send_through(smtp: SmtpSettings, path: Path) -> None:
    """Hand a written ``.eml`` to the service's mail server ([smtp], its password read from
    the environment); :class:`SendFailed` with the server's reason when it does not take it."""
    send_eml(
        path,
        host=smtp.host,
        port=smtp.port,
        starttls=smtp.starttls,
        username=smtp.username,
        password=smtp.password(),
        timeout=smtp.timeout,
    )


def send_letter(
    store: Store, letter_id: int, *, settings: Settings, actor: Actor, now: datetime
) -> tuple[Send, str | None]:
    """Hand a produced letter's e-mail to the mail server, unless it was sent already or
    another sender has it; journal the answer. Returns the letter's state and the server's
    reason when it did not leave. A read-only login may not."""
    check_actor(actor, Move.SENT)
    smtp = settings.smtp
    if not smtp.enabled:
        raise LetterRefused(tr("letters.no_mail_server"))
    outgoing = claim(store, letter_id, now)
    if outgoing is None:
        row = letter(store, letter_id)
        return Send(row["send"]), row["error"]
    error = None
    try:
        send_through(smtp, Path(outgoing.eml))
    except SendFailed as failure:
        error = str(failure)
    except OSError as failure:  # the .eml itself is gone or unreadable
        error = str(failure)
    record_send(store, outgoing, error=error, agent=actor.login, now=now)
    return (Send.SENT if error is None else Send.FAILED), error
