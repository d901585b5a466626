"""A person's file on request (GDPR access): everything the store holds about one complainant.

Finding the person from what the request gives (a case reference, a NISS, an e-mail, a phone,
a name), gathering their record, every case with its journal, pauses and letters, and the
intake drafts that mention them, and writing it out as one folder: a readable summary, the
data as JSON and a copy of each letter. The export is journaled on each of their cases.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.admissibility import Checklist, answers_in_language, load_checklist
from plaintes_tui.domain.cases import REFERENCE_PATTERN
from plaintes_tui.domain.intake import PERSON_FIELDS
from plaintes_tui.domain.validation import (
    InvalidValue,
    display_niss,
    display_phone,
    normalise_email,
    normalise_niss,
    normalise_phone,
)
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import (
    catalogue,
    interface_language,
    moment,
    short_date,
    short_moment,
    speaking,
    tr,
    tr_or,
)
from plaintes_tui.printable import one_line
from plaintes_tui.store.access_log import Access, accesses_of, record
from plaintes_tui.store.case_writer import check_actor
from plaintes_tui.store.cases import Row
from plaintes_tui.store.complainants import same_as
from plaintes_tui.store.database import Store, StoreError
from plaintes_tui.store.drafts import mail_aside
from plaintes_tui.store.journal import append_journal
from plaintes_tui.store.journal_text import facts_in_words

MAX_CANDIDATES = 10
# A person's file is a folder named after their record's number (see retention.py).
EXPORT_PREFIX = "personne-"


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    cases: int


class PersonNotFound(StoreError):
    pass


def _rows(store: Store, sql: str, parameters: tuple[object, ...]) -> list[Row]:
    return list(store.db.query(sql, parameters))


def _normalised(query: str) -> tuple[str, str] | None:
    """The indexed column and value a query names, if it is a NISS, an e-mail or a phone."""
    text = query.strip()
    checks: tuple[tuple[str, Callable[[str], str]], ...] = ()
    if "@" in text:
        checks = (("email", normalise_email),)
    elif any(ch.isdigit() for ch in text):
        checks = (("niss", normalise_niss), ("phone", normalise_phone))
    for column, normalise in checks:
        try:
            return column, normalise(text)
        except InvalidValue:
            continue
    return None


def find_persons(store: Store, query: str) -> list[Candidate]:
    """The complainants (not anonymised) a request names: ``#12`` (their number), a case
    reference, a NISS, an e-mail, a phone number, or a name (last name, or last and first);
    the first ``MAX_CANDIDATES`` and one more, which says there are more."""
    return _persons_named(store, query)[0]


def _persons_named(store: Store, query: str) -> tuple[list[Candidate], int]:
    """``find_persons``, and how many there are in all."""
    text = query.strip()
    where: str = ""
    parameters: tuple[object, ...] = ()
    if text.startswith("#") and text[1:].isdigit():
        number = int(text[1:]) if len(text) <= 19 else 0  # past SQLite's integers: nobody
        where, parameters = "p.id = ?", (number,)
    elif REFERENCE_PATTERN.fullmatch(text.upper()):
        where = "p.id = (SELECT complainant_id FROM cases WHERE reference = ?)"
        parameters = (text.upper(),)
    elif (found := _normalised(text)) is not None:
        where, parameters = same_as(found[0], "p."), (found[1],)
    elif text:
        where = (
            "(p.last_name = ? COLLATE NOCASE "
            "OR p.last_name || ' ' || p.first_name = ? COLLATE NOCASE "
            "OR p.first_name || ' ' || p.last_name = ? COLLATE NOCASE)"
        )
        parameters = (text, text, text)
    if not where:
        return [], 0
    rows = store.connection.execute(
        "SELECT p.id, p.last_name, p.first_name, "
        "(SELECT count(*) FROM cases WHERE complainant_id = p.id), count(*) OVER () "
        f"FROM complainants AS p WHERE {where} AND p.anonymised_at IS NULL ORDER BY p.id LIMIT ?",
        (*parameters, MAX_CANDIDATES + 1),
    ).fetchall()
    candidates = [
        Candidate(id_, f"{last.upper()} {first}".strip(), cases)
        for id_, last, first, cases, _ in rows
    ]
    return candidates, int(rows[0][-1]) if rows else 0


def one_person(store: Store, query: str) -> int:
    """The one complainant a request names, or a sentence: nobody, or which ones to choose."""
    found, total = _persons_named(store, query)
    if not found:
        raise PersonNotFound(tr("person.nobody", query=one_line(query)))
    if len(found) > 1:
        listed = "\n".join(
            f"  #{c.id}  {one_line(c.name)}  ({tr('person.cases', count=c.cases)})"
            for c in found[:MAX_CANDIDATES]
        )
        if total > MAX_CANDIDATES:  # a common name: the others counted, not dropped
            listed += "\n" + tr("person.several_more", count=total - MAX_CANDIDATES)
        raise PersonNotFound(tr("person.several", query=one_line(query), listed=listed))
    return found[0].id


def _draft_mentions(form: Mapping[str, str], person: Row) -> bool:
    """Whether an intake draft is certainly about this person: the same NISS, e-mail
    (whatever its capitals) or phone once normalised — never a name alone, which a namesake
    shares (their draft is not this person's data)."""
    for column, normalise in (
        ("niss", normalise_niss),
        ("email", normalise_email),
        ("phone", normalise_phone),
    ):
        typed = str(form.get(column, "")).strip()
        if typed and person[column]:
            try:
                if normalise(typed).casefold() == str(person[column]).casefold():
                    return True
            except InvalidValue:
                pass
    return False


def person_file(store: Store, complainant_id: int) -> dict[str, Any]:
    """Everything stored about one complainant, ready for JSON."""
    people = _rows(store, "SELECT * FROM complainants WHERE id = ?", (complainant_id,))
    if not people:
        raise PersonNotFound(tr("person.nobody", query=f"#{complainant_id}"))
    person = people[0]
    cases = _rows(
        store,
        "SELECT * FROM cases WHERE complainant_id = ? ORDER BY received, id",
        (complainant_id,),
    )
    for case in cases:
        journal = _rows(
            store,
            "SELECT at, agent, action, changes, note FROM journal WHERE case_id = ? ORDER BY id",
            (case["id"],),
        )
        case["journal"] = [{**entry, "changes": json.loads(entry["changes"])} for entry in journal]
        case["pauses"] = _rows(
            store,
            "SELECT started, ended, reason, agent FROM reply_pauses WHERE case_id = ? ORDER BY id",
            (case["id"],),
        )
        case["emails"] = _rows(  # and the scanned letters, with what the OCR read in them
            store,
            "SELECT arrived_at, sender_name, sender_email, subject, body, attachments, folder, "
            "json(scan) AS scan FROM mail_messages WHERE case_id = ? ORDER BY id",
            (case["id"],),
        )
        for message in case["emails"]:
            message["scan"] = json.loads(message["scan"]) if message["scan"] else None
        case["ombudsman_requests"] = _rows(
            store,
            "SELECT number, received, asked, due, answered, answer_means, answer_summary "
            "FROM ombudsman_requests WHERE case_id = ? ORDER BY number",
            (case["id"],),
        )
        case["improvement_actions"] = _rows(
            store,
            "SELECT i.reference, i.title, i.status FROM improvement_cases AS l "
            "JOIN improvements AS i ON i.id = l.improvement_id WHERE l.case_id = ? "
            "ORDER BY i.reference",
            (case["id"],),
        )
        case["letters"] = _rows(
            store,
            "SELECT kind, language, produced_at, agent, pdf, eml, recipient, send, sent_at "
            "FROM letters WHERE case_id = ? ORDER BY id",
            (case["id"],),
        )
        case["drafts"] = _rows(  # what an agent was typing in one of its dialogs
            store,
            "SELECT agent, dialog, fields, updated_at FROM dialog_drafts WHERE case_id = ? "
            "ORDER BY updated_at",
            (case["id"],),
        )
    drafts = []
    for agent, form, updated_at in store.connection.execute(
        "SELECT agent, form, updated_at FROM drafts ORDER BY agent"
    ):
        typed = json.loads(form)
        if _draft_mentions(typed, person):
            drafts.append({"agent": agent, "updated_at": updated_at, "form": typed})
    messages = store.connection.execute(  # none when no e-mail is known (NULL matches none)
        "SELECT id FROM mail_messages WHERE sender_email = ? COLLATE NOCASE AND case_id IS NULL",
        (person["email"],),
    ).fetchall()
    asides = json.dumps([mail_aside(mail_id) for (mail_id,) in messages])
    for agent, fields, updated_at in store.connection.execute(  # why one was being set aside
        "SELECT agent, fields, updated_at FROM dialog_drafts WHERE case_id IS NULL "
        "AND dialog IN (SELECT value FROM json_each(?)) ORDER BY updated_at",
        (asides,),
    ):
        drafts.append({"agent": agent, "updated_at": updated_at, "form": json.loads(fields)})
    emails = (
        _rows(
            store,
            "SELECT state, arrived_at, sender_name, sender_email, subject, body, attachments, "
            "folder, reason, note FROM mail_messages "
            "WHERE sender_email = ? COLLATE NOCASE AND case_id IS NULL ORDER BY id",
            (person["email"],),
        )
        if person["email"]
        else []
    )
    consulted = [
        {"at": c.at, "login": c.login, "what": c.what.value, "case": c.reference}
        for c in accesses_of(store, complainant_id)
    ]
    return {
        "person": person,
        "cases": cases,
        "drafts": drafts,
        "emails": emails,
        "consulted": consulted,
    }


@dataclass(frozen=True)
class Exported:
    folder: Path
    cases: int
    letter_files: int


def export_person(
    store: Store,
    complainant_id: int,
    destination: Path,
    *,
    reason: str,
    actor: Actor,
    now: datetime,
) -> Exported:
    """Write the person's file into a new folder under ``destination`` and journal the
    export (who, when, why) on each of their cases; nothing is left half-written."""
    check_actor(actor, Move.EXPORT)
    if not reason.strip():
        raise StoreError(tr("person.reason_required"))
    data = person_file(store, complainant_id)
    folder = _new_folder(destination, f"{EXPORT_PREFIX}{complainant_id}-{now:%Y%m%d-%H%M%S}")
    copied = 0
    try:  # from here, only this export's own folder is ever removed
        (folder / "courriers").mkdir()
        for case in data["cases"]:
            for letter in case["letters"]:
                for key in ("pdf", "eml"):
                    source = Path(letter[key]) if letter[key] else None
                    if source is not None and source.is_file():
                        target = folder / "courriers" / case["reference"] / source.name
                        target.parent.mkdir(exist_ok=True)
                        shutil.copy2(source, target)
                        copied += 1
        for n, email in enumerate(
            [m for case in data["cases"] for m in case["emails"]] + data["emails"], start=1
        ):
            source = Path(email["folder"]) if email["folder"] else None
            if source is not None and source.is_dir():
                shutil.copytree(source, folder / "e-mails" / f"{n:03d}")
                copied += sum(1 for p in source.iterdir() if p.is_file())
        export = {
            "exported_at": now.isoformat(timespec="seconds"),
            "exported_by": actor.login,
            "reason": reason,
            **data,
        }
        (folder / "donnees.json").write_text(
            json.dumps(export, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
        # The summary is for the person who asked: in their language where the screens have
        # one (French or Dutch), else in the agent's.
        language = str(data["person"].get("language") or "")
        with speaking(language if catalogue(language) else interface_language()):
            text = summary(export)
        (folder / "resume.md").write_text(text, encoding="utf-8")
        with store.write() as connection:
            for case in data["cases"]:
                (version,) = connection.execute(
                    "SELECT version FROM cases WHERE id = ?", (case["id"],)
                ).fetchone()
                append_journal(
                    connection,
                    case["id"],
                    version,
                    at=now,
                    agent=actor.login,
                    action=Move.EXPORT.value,
                    note=reason,
                )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    record(store, actor.login, Access.EXPORT, now=now, complainant_id=complainant_id, detail=reason)
    return Exported(folder, len(data["cases"]), copied)


def _new_folder(destination: Path, name: str) -> Path:
    """A folder of its own: a second export of the same person in the same second (another
    coordinator, a retry) gets ``…-2``, and never touches the first one's."""
    destination.mkdir(parents=True, exist_ok=True)
    for number in range(1, 1000):
        folder = destination / (name if number == 1 else f"{name}-{number}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise StoreError(tr("person.no_folder", folder=destination))


def _readable(field: str, value: object) -> str:
    text = str(value)
    if field == "phone":
        return display_phone(text)
    if field == "niss":
        return display_niss(text)
    return one_line(text)


def summary(export: Mapping[str, Any]) -> str:
    """The person's file in words (Markdown), for the person who asked for it."""
    lines = [
        f"# {tr('person.summary_title')}",
        "",
        tr("person.summary_made", at=moment(export["exported_at"]), by=export["exported_by"]),
        *_identity(export["person"]),
    ]
    checklist = load_checklist()  # the packaged one: it names the answers kept as codes
    for case in export["cases"]:
        lines += _case_lines(case, checklist)
    consulted = []
    for seen in export["consulted"]:
        what = tr(f"access_log.{seen['what']}")
        about = f" {seen['case']}" if seen["case"] else ""
        consulted.append(f"- {short_moment(seen['at'])} {one_line(seen['login'])} — {what}{about}")
    lines += _section("##", tr("person.summary_consulted"), consulted)
    drafts = [
        f"- {short_moment(draft['updated_at'])} ({one_line(draft['agent'])})"
        for draft in export["drafts"]
    ]
    lines += _section("##", tr("person.summary_drafts"), drafts)
    return "\n".join(lines) + "\n"


def _section(level: str, title: str, items: list[str]) -> list[str]:
    """A titled list, or nothing when it has no item."""
    return ["", f"{level} {title}", "", *items] if items else []


def _labelled(label: str, value: str) -> str:
    return "- " + tr("format.labelled", label=label, value=value)


def _identity(person: Mapping[str, Any]) -> list[str]:
    lines = ["", f"## {tr('person.summary_identity')}", ""]
    for field in PERSON_FIELDS:
        if person.get(field):
            lines.append(_labelled(tr(f"field.{field}"), _readable(field, person[field])))
    lines.append(f"- {tr('person.summary_since', at=short_moment(person['created_at']))}")
    return lines


def _case_lines(case: Mapping[str, Any], checklist: Checklist) -> list[str]:
    channel, status = tr("channel." + case["channel"]), tr("status." + case["status"])
    received = short_date(date.fromisoformat(case["received"]))
    lines = [
        "",
        f"## {case['reference']} — {channel}, {received}",
        "",
        _labelled(tr("field.subject"), one_line(case["subject"])),
        _labelled(tr("field.status"), status),
    ]
    if case["description"]:
        lines += ["", *(f"> {line}" for line in case["description"].splitlines())]
    journal = []
    for entry in case["journal"]:
        action = tr_or(f"journal_action.{entry['action']}", entry["action"])
        said = [entry["note"], *facts_in_words(dict(entry["changes"]))]
        note = "".join(f" — {one_line(text)}" for text in said if text)
        journal.append(
            _labelled(f"{short_moment(entry['at'])} {one_line(entry['agent'])}", action) + note
        )
        codes = (entry["changes"].get("answers") or [None, None])[1] or []
        for question, answer in answers_in_language(checklist, codes):
            journal.append(f"  - {one_line(question)} → {one_line(answer)}")
    lines += ["", f"### {tr('case_detail.journal').strip()}", "", *journal]
    emails = [
        f"- {short_moment(email['arrived_at'])} {one_line(email['subject'])}"
        for email in case["emails"]
    ]
    lines += _section("###", tr("case_detail.mail"), emails)
    letters = [
        f"- {short_moment(letter['produced_at'])} {tr('letters.' + letter['kind'])} "
        f"({Path(letter['pdf']).name})"
        for letter in case["letters"]
    ]
    lines += _section("###", tr("case_detail.letters").strip(), letters)
    return lines
