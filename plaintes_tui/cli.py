"""The ``plaintes`` command: global options, then an optional sub-command.

With no sub-command it opens the terminal application. User mistakes end with one sentence on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

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


class _Formatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, tr("help.usage") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """A parser whose --help is in the agent's language, argparse's own words included."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **{**kwargs, "add_help": False})
        self._positionals.title = tr("help.positionals")
        self._optionals.title = tr("help.options")
        self.add_argument("-h", "--help", action="help", help=tr("help.help"))

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UserError(_argparse_message(message))


# argparse's usual refusals, in the agent's language (others stay as argparse words them).
_ARGPARSE_MESSAGES = (
    (re.compile(r"unrecognized arguments: (?P<arguments>.*)"), "help.unrecognized"),
    (re.compile(r"the following arguments are required: (?P<arguments>.*)"), "help.required"),
    (
        re.compile(
            r"argument (?P<option>\S+): invalid choice: (?P<value>.*?) "
            r"\(choose from (?P<choices>.*)\)"
        ),
        "help.invalid_choice",
    ),
    (re.compile(r"argument (?P<option>\S+): expected one argument"), "help.expected_one"),
)


def _argparse_message(message: str) -> str:
    for pattern, key in _ARGPARSE_MESSAGES:
        match = pattern.fullmatch(message)
        if match:
            return tr(key, **match.groupdict())
    return message


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="plaintes",
        description=tr("help.program"),
    )
    parser.add_argument(
        "--version", action="version", version=f"plaintes {__version__}", help=tr("help.version")
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=tr("help.cli.db", env=DB_ENV),
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help=tr("help.cli.config"),
    )
    parser.add_argument(
        "--agent",
        metavar="LOGIN",
        help=tr("help.cli.agent"),
    )
    parser.add_argument(
        "--language",
        choices=UI_LANGUAGES,
        help=tr("help.cli.language"),
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


def make_context(args: argparse.Namespace, settings: Settings | None = None) -> Context:
    settings = settings or load_settings(args.config)
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


def _language_first(argv: Sequence[str] | None) -> Settings | None:
    """Speak the agent's language from the start, --help included: a first look at --config,
    --agent and --language, before the parser (whose texts are translated) is built. The
    settings read are kept for the run; settings that cannot be read leave the default
    language, and the real reading says what is wrong."""
    early = argparse.ArgumentParser(add_help=False)
    for option in ("--config", "--agent", "--language"):
        early.add_argument(option)
    known, _ = early.parse_known_args(argv)
    try:
        settings = load_settings(known.config)
    except (UserError, ValueError, OSError):
        return None
    login = os.environ.get(WEB_AGENT_ENV) or known.agent or default_agent()
    language = known.language if known.language in UI_LANGUAGES else None
    set_language(agent_language(settings, login, language))
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    try:
        settings = _language_first(argv)
        args = build_parser().parse_args(argv)
        context = make_context(args, settings)
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
