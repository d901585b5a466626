"""`plaintes digest`: each agent's cases falling due or late, to read or to e-mail; for cron."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from plaintes_tui.commands.base import EXIT_OK, EXIT_SOME_INPUT_BAD, Context, parse_date_option
from plaintes_tui.domain.access import SUPERVISING, Job
from plaintes_tui.domain.deadlines import Band, DeadlineCalculator
from plaintes_tui.domain.improvements import Improvement
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import short_date, speaking, tr
from plaintes_tui.printable import one_line
from plaintes_tui.store.improvements import ImprovementFilter, list_improvements
from plaintes_tui.store.journal import iso
from plaintes_tui.store.queue import (
    UNASSIGNED,
    QueueFilter,
    QueueRow,
    open_case_agents,
    queue_window,
)

if TYPE_CHECKING:
    from email.message import EmailMessage

    from plaintes_tui.queue_list import ListLine

WATCHED = (Band.OVERDUE, Band.DUE_SOON)
# The supervisors' list: every late case, whoever has it (the escalation).
ESCALATION = "*late"
# In the JSON: each owner's late improvement actions.
LATE_ACTIONS = "*improvements"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "digest",
        help=tr("help.command.digest"),
        description=tr("help.about.digest"),
    )
    parser.add_argument("--for", dest="for_login", metavar="LOGIN", help=tr("help.digest.for"))
    parser.add_argument("--today", metavar="DATE", help=tr("help.digest.today"))
    parser.add_argument("--send", action="store_true", help=tr("help.digest.send"))
    parser.add_argument("--json", action="store_true", help=tr("help.digest.json"))
    parser.set_defaults(handler=run, job=Job.SUPERVISE)


def _watched(rows: list[QueueRow], calculator: DeadlineCalculator, today: date) -> list[QueueRow]:
    """The cases with a clock due soon or late."""
    return [
        row
        for row in rows
        if row.acknowledgement_band(calculator, today) in WATCHED
        or row.reply_band(calculator, today) in WATCHED
    ]


@dataclass
class _Digest:
    """What one run found: each login's watched cases, each owner's late actions, and who
    supervises; it writes the lists in the language of the moment."""

    context: Context
    today: date
    only: str | None
    watched: dict[str, list[QueueRow]]
    late_actions: dict[str, list[Improvement]]
    supervisors: list[str]

    def actions_text(self, login: str) -> str:
        """The owner's late improvement actions, in the language of the moment."""
        actions = self.late_actions.get(login, [])
        if not actions:
            return ""
        name = self.context.settings.agents.name_of(login)
        heading = tr("digest.late_actions", who=one_line(name), count=len(actions))
        return "\n".join(
            [heading]
            + [
                f"  {a.reference}  {short_date(a.due) if a.due else '—'}  {one_line(a.title)}"
                for a in actions
            ]
        )

    def lists(self) -> dict[str, list[ListLine]]:
        """Each agent's list, and every late case for the supervisors, in the language of the
        moment; with ``--for``, only the lists that person receives."""
        from plaintes_tui.queue_list import lines_of  # loads when the command runs

        name_of = self.context.settings.agents.name_of
        calculator = self.context.calculator()
        lists = {
            login: lines_of(rows, calculator, self.today, name_of)
            for login, rows in self.watched.items()
        }
        late = sorted(
            (line for lines in lists.values() for line in lines if line.days_late),
            key=lambda line: -line.days_late,
        )
        if late:
            lists[ESCALATION] = late
        if self.only:
            lists = {
                login: lines
                for login, lines in lists.items()
                if self.only in _recipients(login, self.supervisors)
            }
        return lists

    def as_json(self) -> str:
        said: dict[str, object] = {
            login or "unassigned": [line.__dict__ for line in lines]
            for login, lines in self.lists().items()
        }
        if self.late_actions:
            said[LATE_ACTIONS] = {
                owner: [
                    {"reference": a.reference, "title": a.title, "due": iso(a.due)} for a in actions
                ]
                for owner, actions in self.late_actions.items()
            }
        return json.dumps(said, ensure_ascii=False, indent=2)

    def print_text(self) -> None:
        from plaintes_tui.queue_list import table_text

        lists = self.lists()
        day = short_date(self.today)
        if not lists and not self.late_actions:
            print(tr("digest.nothing", day=day))
        for login, lines in lists.items():
            who = _who(login, self.context.settings.agents.name_of)
            print(tr("digest.heading", who=one_line(who), count=len(lines), day=day))
            print(_goes_to(self.context, _recipients(login, self.supervisors)))
            print(table_text(lines))
            print()
        for owner in self.late_actions:
            print(self.actions_text(owner))
            print(_goes_to(self.context, [owner]))
            print()


def _gather(context: Context, today: date, only: str | None) -> _Digest:
    """The watched cases of every login with open cases (and the unassigned), and the late
    improvement actions of each owner (``only``: theirs alone)."""
    with context.open_store() as store:
        watched: dict[str, list[QueueRow]] = {}
        for login in [*open_case_agents(store), UNASSIGNED]:
            rows = queue_window(store, QueueFilter(agent=login), today, 0, 10**9)
            if found := _watched(rows, context.calculator(), today):
                watched[login] = found
        late_actions: dict[str, list[Improvement]] = {}
        for action in list_improvements(store, ImprovementFilter(late_only=True), today=today):
            if action.owner and (not only or action.owner == only):
                late_actions.setdefault(action.owner, []).append(action)
    return _Digest(context, today, only, watched, late_actions, _supervisors(context))


def run(context: Context, args: argparse.Namespace) -> int:
    settings = context.settings
    today = parse_date_option(args.today) if args.today is not None else settings.today()
    digest = _gather(context, today, args.for_login)
    warning = _replication_warning(context)
    if warning is not None:
        print(warning, file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(digest.as_json())
        return EXIT_OK
    if args.send:
        return _send(digest, lambda: _replication_warning(context))
    digest.print_text()
    return EXIT_OK


def _replication_warning(context: Context) -> str | None:
    """Replication set but stopped: the standby no longer receives the changes."""
    if not context.settings.replication.replica:
        return None
    from plaintes_tui.replication import stopped

    return stopped(context.settings, context.db_path, context.settings.now())


def _supervisors(context: Context) -> list[str]:
    """Who receives the unassigned cases and every late one: the active supervisors and
    coordinators with an e-mail address."""
    return [
        login
        for login, person in context.settings.agents.directory.items()
        if person.role in SUPERVISING and person.active and person.email
    ]


def _recipients(login: str, supervisors: list[str]) -> list[str]:
    """Who a list goes to: an agent's to them, the unassigned and the late to supervisors."""
    return supervisors if login in (UNASSIGNED, ESCALATION) else [login]


def _goes_to(context: Context, recipients: list[str]) -> str:
    """The line under a printed list: to whom --send would mail it, or why to no one."""
    directory = context.settings.agents.directory
    shown = []
    for login in recipients:
        person = directory.get(login)
        if person is None or not person.email:
            shown.append(tr("digest.to_no_address", login=one_line(login)))
        else:
            shown.append(f"{one_line(person.name)} <{one_line(person.email)}>")
    return tr("digest.goes_to", recipients=", ".join(shown) or tr("digest.to_nobody"))


def _who(login: str, name_of: Callable[[str], str]) -> str:
    if login == ESCALATION:
        return tr("digest.escalation")
    return name_of(login) if login else tr("digest.unassigned")


def _send(digest: _Digest, warning: Callable[[], str | None] = lambda: None) -> int:
    """Each list to its agent; the unassigned cases and every late one to each supervisor
    and coordinator (``--for``: to that one person), each in the language its reader reads;
    ``warning`` (replication stopped, in the language of the moment) heads the supervisors'
    e-mails; the owners of late improvement actions receive them (in their own e-mail, or
    their own alone).
    Each e-mail is written (OUTPUT/digests/) before it is sent."""
    from plaintes_tui.domain.letters import SendFailed
    from plaintes_tui.letters import send_through

    settings = digest.context.settings
    smtp = settings.smtp
    if not smtp.enabled:
        raise UserError(tr("digest.no_mail_server"))
    folder = settings.output / "digests"
    folder.mkdir(parents=True, exist_ok=True)
    failures = 0
    written: dict[str, dict[str, list[ListLine]]] = {}  # the lists, once per language
    listed = list(digest.lists())
    owners = list(digest.late_actions)
    for login in [*listed, *(owner for owner in owners if owner not in listed)]:
        for recipient in _recipients(login, digest.supervisors):
            if digest.only and recipient != digest.only:
                continue
            person = settings.agents.directory.get(recipient)
            if person is None or not person.email:
                print(tr("digest.no_address", login=recipient))
                failures += 1
                continue
            language = person.language or settings.language
            with speaking(language):  # the reader's language
                if language not in written:
                    written[language] = digest.lists()
                lines = written[language].get(login, [])
                said = warning() if login == ESCALATION else None
                message = _message(digest, login, person.email, lines, said)
            kind = "retards" if login == ESCALATION else "liste"
            path = folder / f"{settings.now():%Y%m%d-%H%M}-{recipient}-{kind}.eml"
            path.write_bytes(bytes(message))
            try:
                send_through(smtp, path)
                print(tr("digest.sent", who=person.name, address=person.email, count=len(lines)))
            except (SendFailed, OSError) as error:
                print(tr("digest.failed", who=person.name, error=error))
                failures += 1
    return EXIT_SOME_INPUT_BAD if failures else EXIT_OK


def _message(
    digest: _Digest, login: str, address: str, lines: list[ListLine], warning: str | None
) -> EmailMessage:
    """One recipient's e-mail for ``login``'s list, in the language of the moment."""
    from email.message import EmailMessage
    from email.utils import format_datetime, make_msgid

    from plaintes_tui.queue_list import table_text

    settings = digest.context.settings
    late_actions = digest.actions_text(login)
    message = EmailMessage()
    message["From"] = settings.service.email
    message["To"] = address
    who = _who(login, settings.agents.name_of)
    count = len(lines) + (late_actions.count("\n") if late_actions else 0)
    message["Subject"] = tr("digest.subject", who=who, count=count, day=short_date(digest.today))
    message["Date"] = format_datetime(settings.now())
    message["Message-ID"] = make_msgid(domain=settings.service.email.partition("@")[2])
    message["Auto-Submitted"] = "auto-generated"  # no out-of-office answers it
    text = "\n\n".join(part for part in (table_text(lines) if lines else "", late_actions) if part)
    if warning is not None:
        text = f"{warning}\n\n{text}"
    message.set_content(text + "\n", charset="utf-8")
    return message
