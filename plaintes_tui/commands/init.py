"""`plaintes init`: create an empty case store where the settings say."""

from __future__ import annotations

import argparse

from plaintes_tui.commands.base import EXIT_OK, Context
from plaintes_tui.domain.access import Job
from plaintes_tui.i18n import tr
from plaintes_tui.store.training import mark_for_training


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "init",
        help=tr("help.command.init"),
        description=tr("help.about.init"),
    )
    parser.add_argument("--training", action="store_true", help=tr("help.init.training"))
    parser.set_defaults(handler=run, job=Job.CREATE)


def run(context: Context, args: argparse.Namespace) -> int:
    existed = context.db_path.exists()
    with context.open_store(create=True) as store:
        if args.training and not existed:
            mark_for_training(store)
    print(tr("init.exists" if existed else "init.created", path=context.db_path))
    return EXIT_OK
