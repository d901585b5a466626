"""`plaintes person export`: a person's file on request (the GDPR's right of access)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from plaintes_tui.commands.base import EXIT_OK, Context
from plaintes_tui.i18n import tr


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "person",
        help="a person's data: export it on request (coordinators)",
        description="Personal-data requests. Coordinators only (role in the agent directory).",
    )
    actions = parser.add_subparsers(dest="person_action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="write everything stored about one person into a folder",
        description="Write everything stored about one person — identity, every case with its "
        "journal and letters, intake drafts mentioning them — into a new folder: resume.md "
        "(readable), donnees.json (machine-readable) and a copy of each letter. The export is "
        "journaled on each of their cases. QUERY: a case reference, a NISS, an e-mail, a "
        "phone number, a name, or #N (the person's number, shown when a name is ambiguous).",
    )
    export.add_argument("query", metavar="QUERY")
    export.add_argument("--reason", required=True, help="why (the request's date and channel)")
    export.add_argument(
        "--out", metavar="DIR", help="where to put the folder (default: OUTPUT/exports)"
    )
    export.add_argument("--json", action="store_true", help="print the result as JSON")
    export.set_defaults(handler=run_export)


def exports_folder(context: Context) -> Path:
    return context.settings.output / "exports"


def run_export(context: Context, args: argparse.Namespace) -> int:
    from plaintes_tui.store.person_file import export_person, one_person

    actor = context.actor()
    destination = Path(args.out) if args.out else exports_folder(context)
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
