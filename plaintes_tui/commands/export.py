"""`plaintes export`: every case, streamed as JSON or CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plaintes_tui.commands.base import EXIT_OK, Context, write_whole
from plaintes_tui.domain.access import Job
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
    path = context.output_path(args.output) if args.output else None
    with context.open_store() as store:
        if path is None:
            write(store, sys.stdout)
            return EXIT_OK

        def fill(part: Path) -> None:
            with part.open("w", encoding="utf-8", newline="") as out:
                write(store, out)

        write_whole(path, fill)  # a half-written export is no export: none is left
    return EXIT_OK
