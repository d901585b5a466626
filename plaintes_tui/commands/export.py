"""`plaintes export`: every case, streamed as JSON or CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plaintes_tui.commands.base import EXIT_OK, Context
from plaintes_tui.domain.access import Job
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr
from plaintes_tui.store.export import write_csv, write_json


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "export",
        help=tr("help.command.export"),
        description=tr("help.about.export"),
    )
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("--output", metavar="FILE", help=tr("help.export.output"))
    parser.set_defaults(handler=run, job=Job.READ)


def run(context: Context, args: argparse.Namespace) -> int:
    write = write_csv if args.format == "csv" else write_json
    with context.open_store() as store:
        if not args.output:
            write(store, sys.stdout)
            return EXIT_OK
        path = Path(args.output)
        try:
            with path.open("w", encoding="utf-8", newline="") as out:
                write(store, out)
        except OSError as error:
            if path.is_file():  # a half-written export is no export
                path.unlink()
            raise UserError(tr("cli.output_failed", path=path, error=error.strerror)) from None
    return EXIT_OK
