"""`plaintes person export`: a person's file on request (the GDPR's right of access)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from plaintes_tui.commands.base import EXIT_OK, Context
from plaintes_tui.domain.access import Job
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr
from plaintes_tui.printable import one_line


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "person",
        help=tr("help.command.person"),
        description=tr("help.about.person"),
    )
    actions = parser.add_subparsers(dest="person_action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help=tr("help.command.person_export"),
        description=tr("help.about.person_export"),
    )
    export.add_argument("query", metavar="QUERY")
    export.add_argument("--reason", required=True, help=tr("help.person.reason"))
    export.add_argument("--out", metavar="DIR", help=tr("help.person.out"))
    export.add_argument("--json", action="store_true", help=tr("help.person.json"))
    export.set_defaults(handler=run_export, job=Job.PERSONAL_DATA)
    accesses = actions.add_parser(
        "accesses",
        help=tr("help.command.person_accesses"),
        description=tr("help.about.person_accesses"),
    )
    accesses.add_argument("query", metavar="QUERY")
    accesses.add_argument("--json", action="store_true", help=tr("help.person.json"))
    accesses.set_defaults(handler=run_accesses, job=Job.PERSONAL_DATA)


def exports_folder(context: Context) -> Path:
    return context.settings.output / "exports"


def run_export(context: Context, args: argparse.Namespace) -> int:
    from plaintes_tui.store.person_file import export_person, one_person

    actor = context.actor()
    destination = Path(args.out) if args.out else exports_folder(context)
    if destination.exists() and not destination.is_dir():
        raise UserError(tr("person.out_not_folder", path=destination))
    with context.open_store() as store:
        person = one_person(store, args.query)
        made = export_person(
            store, person, destination, reason=args.reason, actor=actor, now=context.settings.now()
        )
    if args.json:
        print(
            json.dumps(
                {"folder": str(made.folder), "cases": made.cases, "letter_files": made.letter_files}
            )
        )
    else:
        print(tr("person.exported", folder=made.folder, cases=made.cases, files=made.letter_files))
    return EXIT_OK


def run_accesses(context: Context, args: argparse.Namespace) -> int:
    """Who consulted a person's data, when, and what (coordinators)."""
    from plaintes_tui.store.access_log import accesses_of
    from plaintes_tui.store.person_file import one_person

    with context.open_store() as store:
        person = one_person(store, args.query)
        seen = accesses_of(store, person)
        name = store.connection.execute(
            "SELECT last_name || ' ' || first_name FROM complainants WHERE id = ?", (person,)
        ).fetchone()[0]
    if args.json:
        rows = [
            {"at": s.at, "login": s.login, "what": s.what.value, "case": s.reference} for s in seen
        ]
        print(json.dumps({"person": person, "consulted": rows}, ensure_ascii=False))
        return EXIT_OK
    name = one_line(name.strip())
    if not seen:
        print(tr("access_log.none", name=name, id=person))
        return EXIT_OK
    print(tr("access_log.heading", name=name, id=person, count=len(seen)))
    for s in seen:
        about = f" {s.reference}" if s.reference else ""
        print(f"  {s.at}  {one_line(s.login)}  {tr(f'access_log.{s.what.value}')}{about}")
    return EXIT_OK
