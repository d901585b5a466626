"""`plaintes mail import`: the service's mailbox (or mail files) into the inbox; ready for cron."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from plaintes_tui.commands.base import EXIT_OK, Context
from plaintes_tui.domain.access import Job
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr

if TYPE_CHECKING:
    from plaintes_tui.mail import Imported


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "mail",
        help=tr("help.command.mail"),
        description=tr("help.about.mail"),
    )
    actions = parser.add_subparsers(dest="mail_action", metavar="ACTION", required=True)
    importing = actions.add_parser(
        "import",
        help=tr("help.command.import"),
        description=tr("help.about.import"),
    )
    importing.add_argument("paths", nargs="*", metavar="PATH")
    importing.add_argument("--dry-run", action="store_true", help=tr("help.mail.dry_run"))
    importing.add_argument("--json", action="store_true", help=tr("help.mail.json"))
    importing.set_defaults(handler=run_import, job=Job.MAIL)


def run_import(context: Context, args: argparse.Namespace) -> int:
    from plaintes_tui.mail import import_mailbox, take_in  # parsing loads when used
    from plaintes_tui.mail_sources import read_paths

    actor = context.actor()
    if actor.read_only and not args.dry_run:
        raise UserError(tr("access.read_only"))
    settings = context.settings
    with context.open_store() as store:
        if args.paths:
            done = take_in(
                store,
                read_paths(Path(p) for p in args.paths),
                settings=settings,
                actor=actor,
                now=settings.now(),
                dry_run=args.dry_run,
            )
        else:
            done = import_mailbox(
                store,
                settings=settings,
                actor=actor,
                now=settings.now(),
                dry_run=args.dry_run,
            )
    if args.json:
        print(json.dumps(done.as_json()))
    else:
        print(_in_words(done, dry_run=args.dry_run))
    return EXIT_OK


def _in_words(done: Imported, *, dry_run: bool) -> str:
    lines = [
        f"  {tr(f'mail.outcome_{outcome}')}  {source}  {what}"
        for outcome, source, what in done.lines
    ]
    summary = tr("mail.dry_run" if dry_run else "mail.imported", **done.as_json())
    return "\n".join([*lines, summary])
