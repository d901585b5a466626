"""The case file's panels, each built from what was read of the case: its clocks, its
complainant (and their other cases), the complaint, its letters, its e-mails, its journal as
a timeline, and the actions its state and the agent's role allow."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.console import Group, RenderableType
from rich.text import Text

from plaintes_tui.domain.admissibility import answers_in_language
from plaintes_tui.domain.case_record import Case, JournalEntry
from plaintes_tui.domain.cases import Status
from plaintes_tui.domain.services import named
from plaintes_tui.domain.validation import country_name, display_niss, display_phone
from plaintes_tui.domain.workflow import CaseFacts, Move
from plaintes_tui.i18n import interface_language, short_date, short_moment, tr, tr_or
from plaintes_tui.printable import shortened
from plaintes_tui.store.journal_text import facts_in_words
from plaintes_tui.store.mailbox import StoredMail, awaits_details
from plaintes_tui.store.outbox import SENDABLE, Send
from plaintes_tui.store.scans import SEARCHABLE
from plaintes_tui.tui.screens.case_forms import move_name
from plaintes_tui.tui.text import one_line, shown_path, user_text

if TYPE_CHECKING:
    from plaintes_tui.tui.desk import Desk


def _day(value: date | str | None) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return short_date(value) if value else "—"


def clocks_panel(desk: Desk, case: Case) -> RenderableType:
    language = interface_language()
    today = desk.today()
    calculator = desk.calculator
    clocks = case.clocks
    lines = [
        Text(tr("case_detail.title", reference=case.reference), style="bold"),
        Text(
            tr(
                "case_detail.status",
                status=tr(f"status.{case.status}"),
                language=tr(f"language_name.{case.language}"),
            )
        ),
        Text(
            tr(
                "case_detail.received",
                day=_day(case.received),
                channel=tr(f"channel.{case.channel}"),
                logged=short_moment(case.logged_at),
                agent=one_line(desk.person_name(case.logged_by)),
            )
        ),
        Text(
            tr("case_detail.assigned", agent=one_line(desk.person_name(case.assigned_to)))
            if case.assigned_to
            else tr("case_detail.unassigned")
        ),
        Text(
            tr("case_detail.service", service=named(desk.settings.services, case.service, language))
            if case.service
            else tr("case_detail.no_service")
        ),
    ]
    ack_band = clocks.acknowledgement_band(calculator, today)
    ack_key = "case_detail.ack_sent" if case.acknowledgement_sent else "case_detail.ack"
    lines.append(
        Text(
            tr(
                ack_key,
                due=_day(case.acknowledgement_due),
                sent=_day(case.acknowledgement_sent),
                band=tr(f"band.{ack_band.value}"),
            )
        )
    )
    reply_band = clocks.reply_band(calculator, today)
    if case.reply_due is None:
        lines.append(Text(tr("case_detail.no_reply")))
    else:
        band = tr(f"band.{reply_band.value}") if reply_band else tr("queue_screen.paused")
        key = "case_detail.reply"
        if case.reply_sent:
            key = "case_detail.reply_sent"
        elif case.reply_due != case.reply_due_original:
            key = "case_detail.reply_paused"
        lines.append(
            Text(
                tr(
                    key,
                    due=_day(case.reply_due),
                    original=_day(case.reply_due_original),
                    sent=_day(case.reply_sent),
                    band=band,
                )
            )
        )
    if case.ombudsman_referred:
        lines.append(
            Text(tr("case_detail.ombudsman", day=_day(case.ombudsman_referred)), style="bold")
        )
    ombudsman_band = clocks.ombudsman_band(calculator, today)
    if case.ombudsman_due is not None and ombudsman_band is not None:
        lines.append(
            Text(
                tr(
                    "case_detail.ombudsman_due",
                    due=_day(case.ombudsman_due),
                    band=tr(f"band.{ombudsman_band.value}"),
                ),
                style="bold",
            )
        )
    return Group(*lines)


# The person's other cases listed in the file, the latest first; the rest are counted.
OTHERS_SHOWN = 10


def complainant_panel(
    case: Case, others: tuple[list[tuple[Any, ...]], int], hint: str
) -> RenderableType:
    """The complainant, and their other cases: the latest, and how many more (never cut
    silently: ``others`` is the rows shown and how many there are)."""
    if case.anonymised_at:
        day = short_date(case.anonymised_at.date())
        return Group(
            Text(tr("case_detail.complainant"), style="bold"),
            Text(tr("person.anonymised_banner", day=day), style="italic"),
        )
    person = case.complainant
    name = person.listed_name
    if case.anonymous:
        name = f"{name} ({tr('queue_screen.anonymous')})".lstrip()
    lines: list[RenderableType] = [
        Text(tr("case_detail.complainant"), style="bold"),
        user_text(name),
    ]
    country = country_name(person.country, interface_language()) if person.country else ""
    for value in (
        display_phone(person.phone) if person.phone else None,
        person.email,
        " ".join(
            part for part in (person.street, person.postal_code, person.town, country) if part
        ),
        display_niss(person.niss) if person.niss else None,
    ):
        if value:
            lines.append(user_text(value))
    if case.contact_incomplete:
        lines.append(Text(f"✉ {tr('case_detail.contact_missing')}", style="bold"))
    shown, total = others
    if shown:
        lines.append(Text(tr("case_detail.other_cases")))
        for reference, received, status, subject in shown:
            line = Text(f"  {reference}  {_day(received)}  {tr(f'status_short.{status}')}  ")
            line.append_text(user_text(shortened(subject, 60)))
            lines.append(line)
        if total > len(shown):
            lines.append(Text(tr("case_detail.other_cases_more", count=total - len(shown))))
    if hint:
        lines.append(Text(hint, style="dim"))
    return Group(*lines)


def complaint_panel(case: Case) -> RenderableType:
    subject = Text(tr("case_detail.subject"))
    subject.append_text(user_text(case.subject))
    return Group(
        Text(tr("case_detail.complaint"), style="bold"),
        Text(tr("case_detail.category", category=tr(f"category.{case.category}"))),
        subject,
        user_text(case.description),
        Text(""),
        Text(tr("case_detail.admissibility"), style="bold"),
        Text(
            tr(f"admissibility.{case.admissibility}")
            if case.admissibility
            else tr("case_detail.not_checked")
        ),
    )


def letters_panel(letters: list[dict[str, Any]]) -> RenderableType:
    lines: list[RenderableType] = [Text(tr("case_detail.letters"), style="bold")]
    for row in letters:
        line = Text(f"{short_moment(row['produced_at'])}  ")
        line.append(tr(f"letters.{row['kind']}"), style="bold")
        line.append(f"  {Path(row['pdf']).name}  ")
        state = tr(f"send.short_{row['send']}", error="")
        failed = row["send"] == Send.FAILED
        line.append(state, style="bold red" if failed else "")
        if row["recipient"] and row["send"] != Send.NONE:
            line.append(" (")
            line.append_text(user_text(row["recipient"]))
            line.append(")")
        if failed and row["error"]:
            line.append(" — ")
            line.append_text(user_text(row["error"]))
        lines.append(line)
    if any(row["send"] in SENDABLE for row in letters):
        lines.append(Text(tr("send.hint"), style="dim"))
    return Group(*lines)


def mail_panel(case: Case, mails: list[StoredMail], waiting_since: date | None) -> RenderableType:
    """The e-mails received for the case, and, when its clock waits for the complainant
    and they wrote since, what resumes it."""
    lines: list[RenderableType] = [Text(tr("case_detail.mail"), style="bold")]
    answered = None
    for mail in mails:
        line = Text(f"{short_moment(mail.arrived_at)}  ")
        line.append_text(user_text(one_line(mail.sender_email or mail.sender_name)))
        line.append("  ")
        line.append_text(user_text(shortened(mail.subject, 60)))
        if mail.scan is not None:  # a letter: its PDF, and v shows it as read
            line.append(f"  {tr('inbox.scanned')}", style="italic")
            lines.append(line)
            pdf = shown_path(str(Path(mail.folder) / SEARCHABLE))
            lines.append(Text(f"  {tr('case_detail.scan_hint', path=pdf)}", style="dim"))
            continue
        if mail.attachments:
            line.append(f"  {tr('inbox.attachments', count=len(mail.attachments))}")
        if mail.auto_reply:
            line.append(f"  {tr('case_detail.mail_auto')}", style="dim italic")
        elif waiting_since is None or mail.received >= waiting_since:
            answered = mail  # written since the clock began to wait (or it never ran)
        lines.append(line)
        lines.append(Text(f"  {shown_path(mail.folder)}", style="dim"))
    if answered is not None and awaits_details(case.status):
        key = "mail_resume_paused" if case.status is Status.PAUSED else "mail_resume_incomplete"
        lines.append(
            Text(f"✉ {tr(f'case_detail.{key}', day=short_date(answered.received))}", style="bold")
        )
    return Group(*lines)


def journal_panel(desk: Desk, journal: list[JournalEntry]) -> RenderableType:
    lines: list[RenderableType] = [Text(tr("case_detail.journal"), style="bold")]
    for entry in journal:
        agent = one_line(desk.person_name(entry.agent))
        line = Text(f"{short_moment(entry.at)}  {agent:<12} ")
        line.append(tr_or(f"journal_action.{entry.action}", entry.action), style="bold")
        changes = dict(entry.changes)
        if "service" in changes:  # a code of the settings: its name, in the reader's language
            changes["service"] = [
                named(desk.settings.services, str(code), interface_language()) if code else None
                for code in changes["service"]
            ]
        # The checklist's answers, journaled as codes: [None, [[step, answer], …]].
        answers = cast(list[list[str]], changes.pop("answers", [None, None])[1] or [])
        facts = facts_in_words(changes)
        changed = ", ".join(
            tr(
                "format.labelled",
                label=tr_or(f"field.{field}", field),
                value=f"{_journal_value(field, old)} → {_journal_value(field, new)}",
            )
            for field, (old, new) in changes.items()
        )
        if changed:
            line.append("   ")
            line.append_text(user_text(changed))
        if entry.note:
            line.append("   ")
            line.append_text(user_text(entry.note))
        for fact in facts:
            line.append(f" — {fact}", style="italic")
        lines.append(line)
        for question, answer in answers_in_language(desk.checklist, answers):
            lines.append(user_text(f"    {question} → {answer}"))
    return Group(*lines)


def actions_panel(desk: Desk, case: Case) -> RenderableType:
    facts = CaseFacts.of(case)
    lines: list[RenderableType] = [Text(tr("case_actions.title"), style="bold")]
    for key, move in ACTION_KEYS:
        if move is Move.PAUSE and facts.status is Status.PAUSED:
            move = Move.RESUME
        why = desk.why_not(facts, move)
        name = tr(move_name(case, move))
        if move is Move.OMBUDSMAN and facts.ombudsman_referred is not None:
            # referred: m records the Ombudsman's next step, until they conclude
            name = tr("case_ombudsman.steps_key")
            why = desk.why_not(facts, Move.OMBUDSMAN_REQUEST)
        line = Text(f"  {key}  ")
        line.append(name, style="bold" if why is None else "dim")
        if why is not None:
            line.append(f" — {tr(why)}", style="dim italic")
        lines.append(line)
    line = Text(f"  {IMPROVEMENT_KEY}  ")
    read_only = desk.actor.read_only
    line.append(tr("case_actions.improvement"), style="dim" if read_only else "bold")
    if read_only:
        line.append(f" — {tr('access.read_only')}", style="dim italic")
    lines.append(line)
    return Group(*lines)


# Journal values that are codes, and the catalogue section that names them.
_CODE_NAMES = {
    "status": "status",
    "channel": "channel",
    "letter": "letters",
    "admissibility": "admissibility",
    "outcome": "outcome",
    "network_category": "network",
    "category": "category",
    "ombudsman_conclusion": "ombudsman_conclusion",
}


def _journal_value(field: str, value: object) -> str:
    """A journal value as the agent reads it: a code in words, a date as a date."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):  # a flag (urgent, anonymous…): yes or no, in words
        return tr("intake.yes") if value else tr("intake.no")
    text = str(value)
    if field in _CODE_NAMES:
        return tr_or(f"{_CODE_NAMES[field]}.{text}", text)
    if field == "mail":  # the number of the e-mail received
        return f"n° {text}"
    if field in ("acknowledgement_means", "forwarded_by"):
        return tr_or(f"case_actions.means_{text}", text)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return _day(text)
    return text


ACTION_KEYS = (
    ("n", Move.NOTE),
    ("r", Move.ACKNOWLEDGE),
    ("p", Move.PAUSE),
    ("R", Move.REPLY),
    ("c", Move.CLOSE),
    ("o", Move.REOPEN),
    ("m", Move.OMBUDSMAN),
    ("T", Move.FORWARD),
    ("t", Move.ASSIGN),
)
# The case's improvement actions (``A``), beside its moves.
IMPROVEMENT_KEY = "A"
