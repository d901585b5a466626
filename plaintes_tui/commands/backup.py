"""`plaintes backup` and `plaintes restore`: copies of the store taken while agents work."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from plaintes_tui.commands.base import EXIT_OK, Context, int_between
from plaintes_tui.i18n import tr
from plaintes_tui.store.backup import letters_copy_of, restore, take_backup


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "backup",
        help="back the store and the letters up, safely while agents work",
        description="Take an online backup of the store (SQLite's backup API: agents keep "
        "working), verify it (integrity check, case count), copy the letters folder beside it "
        "and keep the newest N backups (setting backups_kept). Ready for cron.",
    )
    parser.add_argument(
        "dest", nargs="?", metavar="DEST", help="the backup folder (default: the settings' backups)"
    )
    parser.add_argument(
        "--keep", type=int_between(1, 1000), metavar="N", help="how many backups to keep"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(handler=run_backup)

    parser = commands.add_parser(
        "restore",
        help="restore a backup into a new store path",
        description="Check a backup and copy it to TARGET, where no store may exist yet: a "
        "live store is never overwritten. Point --db or the settings at TARGET afterwards.",
    )
    parser.add_argument("backup", metavar="BACKUP", help="a file made by `plaintes backup`")
    parser.add_argument("target", metavar="TARGET", help="the new store's path")
    parser.set_defaults(handler=run_restore)


def run_backup(context: Context, args: argparse.Namespace) -> int:
    settings = context.settings
    folder = Path(args.dest) if args.dest else settings.backups
    with context.open_store() as store:
        made = take_backup(
            store,
            folder,
            letters=settings.output,
            keep=args.keep or settings.backups_kept,
            now=settings.now(),
        )
    if args.json:
        result = {
            "path": str(made.path),
            "cases": made.cases,
            "letters": str(made.letters) if made.letters else None,
            "letter_files": made.letter_files,
            "removed": [str(path) for path in made.removed],
        }
        print(json.dumps(result, ensure_ascii=False))
        return EXIT_OK
    print(tr("backup.done", path=made.path, cases=made.cases))
    if made.letters is not None:
        print(tr("backup.letters", path=made.letters, files=made.letter_files, linked=made.linked))
    for path in made.removed:
        print(tr("backup.removed", path=path))
    return EXIT_OK


def run_restore(context: Context, args: argparse.Namespace) -> int:
    backup, target = Path(args.backup), Path(args.target)
    cases = restore(backup, target)
    print(tr("backup.restored", path=target, cases=cases, backup=backup))
    letters = letters_copy_of(backup)
    if letters.is_dir():
        print(tr("backup.restore_letters", letters=letters, output=context.settings.output))
    return EXIT_OK
