"""The ``plaintes`` command: global options, then an optional sub-command.

With no sub-command it opens the terminal application. User mistakes end with one sentence on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from plaintes_tui import __version__
from plaintes_tui.commands import (
    backup,
    deadlines,
    demo,
    digest,
    export,
    init,
    letter,
    mail,
    person,
    queue,
    recompute,
    report,
    retention,
    serve,
)
from plaintes_tui.commands.base import EXIT_OK, EXIT_USER_ERROR, Context
from plaintes_tui.commands.serve import WEB_AGENT_ENV, WEB_SIGNATURE_ENV
from plaintes_tui.domain.access import signed_by
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import set_language, tr
from plaintes_tui.settings import UI_LANGUAGES, Settings, load_settings

DB_ENV = "PLAINTES_DB"
COMMANDS = (
    deadlines,
    queue,
    export,
    report,
    letter,
    init,
    demo,
    recompute,
    backup,
    serve,
    person,
    retention,
    mail,
    digest,
)

Command = Callable[[Context, argparse.Namespace], int]


def default_agent() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "agent"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UserError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="plaintes",
        description="Case management for a complaints service. "
        "With no command, opens the terminal application.",
    )
    parser.add_argument("--version", action="version", version=f"plaintes {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=f"the case store (default: ${DB_ENV}, else the settings' store)",
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="the settings file (default: $PLAINTES_CONFIG, else the first of "
        "./data/plaintes.toml, ~/.config/plaintes-tui/plaintes.toml, "
        "/etc/plaintes-tui/plaintes.toml)",
    )
    parser.add_argument(
        "--agent",
        metavar="LOGIN",
        help="work as this agent; only where the settings allow it (agents.agent_option, "
        "for training and demo stores): the agent is the operating-system user",
    )
    parser.add_argument(
        "--language",
        choices=UI_LANGUAGES,
        help="the language of the screens and messages for this run (default: the agent's in "
        "the agent directory, else the settings' language)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMANDS:
        module.register(commands)
    return parser


def run_app(context: Context, args: argparse.Namespace) -> int:
    from plaintes_tui.domain.admissibility import load_checklist, load_reference
    from plaintes_tui.tui.app import PlaintesApp  # Textual loads only when the app opens

    overrides = context.settings.overrides
    checklist, reference = load_checklist(overrides), load_reference(overrides)  # bad: no start
    actor = context.actor()
    context.check_writable()
    with context.open_store() as store:
        PlaintesApp(
            context.settings,
            agent=actor,
            store=store,
            checklist=checklist,
            reference=reference,
        ).run()
    return EXIT_OK


def make_context(args: argparse.Namespace) -> Context:
    settings = load_settings(args.config)
    set_language(settings.language)
    db = args.db or os.environ.get(DB_ENV) or settings.store
    login = default_agent()
    web_agent = os.environ.get(WEB_AGENT_ENV)
    if web_agent is not None:  # an app started by `plaintes serve` for a browser tab
        key_env = settings.serve.proxy_key_env
        key = os.environ.get(key_env, "") if key_env else ""
        if not signed_by(key, web_agent, os.environ.get(WEB_SIGNATURE_ENV, "")):
            raise UserError(tr("serve.unsigned", env=WEB_AGENT_ENV))
        login = web_agent
    elif args.agent and args.agent != login:
        if not settings.agents.agent_option:
            raise UserError(
                tr(
                    "access.agent_option_off",
                    settings=settings.source.absolute() if settings.source else "—",
                )
            )
        login = args.agent
    set_language(agent_language(settings, login, args.language))
    return Context(settings=settings, db_path=Path(db), agent=login)


def agent_language(settings: Settings, login: str, chosen: str | None = None) -> str:
    """The language an agent reads: chosen for this run, else theirs in the agent directory,
    else the service's."""
    person = settings.agents.directory.get(login)
    return chosen or (person.language if person else "") or settings.language


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        context = make_context(args)
        handler: Command = getattr(args, "handler", run_app)
        return handler(context, args)
    except UserError as error:
        print(tr("cli.error", message=error), file=sys.stderr)
        return EXIT_USER_ERROR
    except sqlite3.Error as error:  # a store that refused what a command asked of it
        print(tr("cli.error", message=tr("cli.store_failed", error=error)), file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(tr("cli.interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:  # `plaintes queue | head`
        sys.stderr.close()
        return EXIT_OK
