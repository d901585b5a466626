"""`plaintes backup` and `plaintes restore`: copies of the store taken while agents work."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from plaintes_tui.commands.base import EXIT_OK, EXIT_SOME_INPUT_BAD, Context, int_between
from plaintes_tui.commands.verify import told, verified
from plaintes_tui.domain.access import Job
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "backup",
        help=tr("help.command.backup"),
        description=tr("help.about.backup"),
    )
    parser.add_argument("dest", nargs="?", metavar="DEST", help=tr("help.backup.dest"))
    parser.add_argument(
        "--keep", type=int_between(1, 1000), metavar="N", help=tr("help.backup.keep")
    )
    parser.add_argument("--json", action="store_true", help=tr("help.backup.json"))
    parser.set_defaults(handler=run_backup, job=Job.ADMINISTER)

    parser = commands.add_parser(
        "restore",
        help=tr("help.command.restore"),
        description=tr("help.about.restore"),
    )
    parser.add_argument("paths", nargs="+", metavar="BACKUP TARGET", help=tr("help.backup.paths"))
    parser.add_argument("--from-replica", action="store_true", help=tr("help.backup.from_replica"))
    parser.add_argument("--at", metavar="MOMENT", help=tr("help.backup.at"))
    parser.set_defaults(handler=run_restore, job=Job.ADMINISTER)


def run_backup(context: Context, args: argparse.Namespace) -> int:
    from plaintes_tui.store.backup import take_backup  # each command loads its own
    from plaintes_tui.store.verify import record_head

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
        checked = verified(context, store, folder)
    if checked.ok:  # the head logged: a history rewritten later is caught against it
        record_head(folder, checked.head, settings.now().isoformat(timespec="seconds"))
    else:
        print("\n".join([tr("verify.backup_refused", path=made.path), *told(checked)]))
        return EXIT_SOME_INPUT_BAD
    if args.json:
        result = {
            "path": str(made.path),
            "cases": made.cases,
            "letters": str(made.letters) if made.letters else None,
            "letter_files": made.letter_files,
            "removed": [str(path) for path in made.removed],
            "journal_head": {"row": checked.head[0], "hash": checked.head[1]},
        }
        print(json.dumps(result, ensure_ascii=False))
        return EXIT_OK
    print(tr("backup.done", path=made.path, cases=made.cases))
    print(tr("verify.chain_head", row=checked.head[0], hash=checked.head[1]))
    if made.letters is not None:
        print(tr("backup.letters", path=made.letters, files=made.letter_files, linked=made.linked))
    for path in made.removed:
        print(tr("backup.removed", path=path))
    return EXIT_OK


def run_restore(context: Context, args: argparse.Namespace) -> int:
    from plaintes_tui.store.backup import letters_copy_of, restore

    if args.from_replica:
        from plaintes_tui.commands.replicate import run_restore_from_replica

        return run_restore_from_replica(context, args)
    if len(args.paths) != 2 or args.at:
        raise UserError(tr("backup.restore_usage"))
    backup, target = (Path(path) for path in args.paths)
    cases = restore(backup, target)
    print(tr("backup.restored", path=target, cases=cases, backup=backup))
    letters = letters_copy_of(backup)
    if letters.is_dir():
        print(tr("backup.restore_letters", letters=letters, output=context.settings.output))
    return EXIT_OK
