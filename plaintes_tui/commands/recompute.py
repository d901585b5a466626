"""`plaintes recompute`: due dates again, after the deadline settings changed."""

from __future__ import annotations

import argparse

from plaintes_tui.commands.base import EXIT_OK, Context
from plaintes_tui.domain.access import Job
from plaintes_tui.i18n import tr
from plaintes_tui.store.recompute import recompute_due_dates


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "recompute",
        help=tr("help.command.recompute"),
        description=tr("help.about.recompute"),
    )
    parser.set_defaults(handler=run, job=Job.SUPERVISE)


def run(context: Context, args: argparse.Namespace) -> int:
    with context.open_store() as store:
        changed = recompute_due_dates(
            store,
            context.calculator(),
            actor=context.actor(),
            now=context.settings.now(),
        )
    print(tr("recompute.done", changed=changed))
    return EXIT_OK
