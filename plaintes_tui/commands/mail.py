"""`plaintes mail import`: the service's mailbox (or mail files) into the inbox; ready for cron."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from plaintes_tui.commands.base import EXIT_OK, Context
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr

if TYPE_CHECKING:
    from plaintes_tui.mail import Imported


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "mail",
        help="take the service's e-mail in",
        description="The service's mailbox: its messages wait in the app's inbox, replies go "
        "to their case, unreadable ones to quarantine.",
    )
    actions = parser.add_subparsers(dest="mail_action", metavar="ACTION", required=True)
    importing = actions.add_parser(
        "import",
        help="import new messages (the [mail] mailbox, or the files given)",
        description="Import the messages of the IMAP mailbox set in [mail] (each one is moved "
        "to the processed folder once stored), or of the paths given: a Maildir, an mbox file, "
        "a folder of .eml files or one .eml (read, never changed). A message already imported "
        "is not imported again. Safe from cron, and while agents work.",
    )
    importing.add_argument("paths", nargs="*", metavar="PATH")
    importing.add_argument("--dry-run", action="store_true", help="say what would happen")
    importing.add_argument("--json", action="store_true", help="print the counts as JSON")
    importing.set_defaults(handler=run_import)


def run_import(context: Context, args: argparse.Namespace) -> int:
    from plaintes_tui.mail import import_mailbox, read_paths, take_in  # parsing loads when used

    actor = context.actor()
    if actor.read_only and not args.dry_run:
        raise UserError(tr("access.read_only"))
    settings = context.settings
    if not args.dry_run:
        context.check_writable()
    with context.open_store() as store:
        if args.paths:
            done = take_in(
                store,
                read_paths(Path(p) for p in args.paths),
                settings=settings,
                agent=actor.login,
                now=settings.now(),
                dry_run=args.dry_run,
            )
        else:
            done = import_mailbox(
                store,
                settings=settings,
                agent=actor.login,
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
