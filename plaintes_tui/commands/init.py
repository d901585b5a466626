"""`plaintes init`: create an empty case store where the settings say."""

from __future__ import annotations

import argparse

from plaintes_tui.commands.base import EXIT_OK, Context
from plaintes_tui.i18n import tr


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "init",
        help=tr("help.command.init"),
        description=tr("help.about.init"),
    )
    parser.set_defaults(handler=run)


def run(context: Context, args: argparse.Namespace) -> int:
    existed = context.db_path.exists()
    with context.open_store(create=True):
        pass
    print(tr("init.exists" if existed else "init.created", path=context.db_path))
    return EXIT_OK
