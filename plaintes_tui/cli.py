"""The ``plaintes`` command: global options, then an optional sub-command.

With no sub-command it opens the terminal application. User mistakes end with one sentence on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shlex
import sqlite3
import sys
from collections.abc import Callable, Iterable, Sequence
from importlib import import_module
from pathlib import Path
from typing import Any

from plaintes_tui import __version__
from plaintes_tui import settings as settings_module
from plaintes_tui.commands.base import EXIT_OK, EXIT_USER_ERROR, Context
from plaintes_tui.domain.access import Job, signed_by
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import set_language, tr
from plaintes_tui.identity import (
    SSH_COMMAND_ENV,
    WEB_AGENT_ENV,
    WEB_SIGNATURE_ENV,
    Claims,
    caller_options_given,
    running_account,
    sudo_caller,
    trusted_settings_file,
    who,
)
from plaintes_tui.secret_file import read_secret
from plaintes_tui.settings import Settings, load_settings
from plaintes_tui.settings_values import UI_LANGUAGES

DB_ENV = "PLAINTES_DB"
# The sub-commands, in the order --help lists them: each a module of plaintes_tui.commands,
# loaded only when the whole parser is built (see parse_arguments).
COMMANDS = (
    "deadlines",
    "queue",
    "export",
    "report",
    "letter",
    "init",
    "demo",
    "recompute",
    "backup",
    "serve",
    "person",
    "retention",
    "mail",
    "scan",
    "digest",
    "verify",
    "replicate",
)
Command = Callable[[Context, argparse.Namespace], int]


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


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The command line: the global options, then (``commands``) the sub-commands, whose
    modules are loaded here."""
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
        "--login",
        metavar="LOGIN",
        help=tr("help.cli.login"),
    )
    parser.add_argument(
        "--language",
        choices=UI_LANGUAGES,
        help=tr("help.cli.language"),
    )
    if not commands:
        return parser
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        import_module(f"plaintes_tui.commands.{name}").register(subparsers)
    return parser


def parse_arguments(words: list[str]) -> argparse.Namespace:
    """The command line read. Opening the app names no command: the global options alone are
    read, and no command module is loaded (about 20 ms at each start); a command, a word the
    global options do not take, or --help, and the whole parser reads them."""
    if "-h" not in words and "--help" not in words:
        args, rest = build_parser(commands=False).parse_known_args(words)
        if not rest:
            args.command = None
            return args
    return build_parser().parse_args(words)


def run_app(context: Context, args: argparse.Namespace) -> int:
    from plaintes_tui.domain.admissibility import load_checklist, load_reference
    from plaintes_tui.tui.app import PlaintesApp  # Textual loads only when the app opens

    overrides = context.settings.overrides
    checklist, reference = load_checklist(overrides), load_reference(overrides)  # bad: no start
    actor = context.actor()
    with context.open_store() as store:
        PlaintesApp(
            context.settings,
            agent=actor,
            store=store,
            checklist=checklist,
            reference=reference,
        ).run()
    return EXIT_OK


def _system_settings(account: str) -> Settings:
    """The service's settings when sudo started the program: the system file alone, which only
    root or the service account may have written."""
    path = settings_module.SYSTEM_CONFIG_PATH
    if not trusted_settings_file(path, account):
        raise UserError(tr("identity.no_system_settings", account=account, settings=path))
    return load_settings(path)


def make_context(
    args: argparse.Namespace, settings: Settings | None = None, argv: Sequence[str] = ()
) -> Context:
    """The settings, the store and who works, as the kernel says (see ``identity.py``)."""
    uid = os.getuid()
    account = running_account()
    sudo_uid = sudo_caller(os.environ, uid)
    if sudo_uid is not None:  # a caller chose nothing: the service's settings and store
        given = caller_options_given(list(argv))
        if given:
            path = settings_module.SYSTEM_CONFIG_PATH
            raise UserError(tr("identity.caller_options", options=", ".join(given), settings=path))
        settings = _system_settings(account)
        db: str | Path = settings.store
    else:
        settings = settings or load_settings(args.config)
        db = args.db or os.environ.get(DB_ENV) or settings.store
    set_language(settings.language)
    service = settings.agents.service_account
    web_login = os.environ.get(WEB_AGENT_ENV)
    signed = False
    if web_login is not None and service == account and settings.serve.proxy_key_file:
        key = read_secret(settings.serve.proxy_key_file, "serve.proxy_key_file")
        signed = signed_by(key, web_login, os.environ.get(WEB_SIGNATURE_ENV, ""))
    identity = who(
        Claims(
            agent_option=args.agent,
            login_option=args.login,
            sudo_uid=sudo_uid,
            web_login=web_login,
            web_signed=signed,
        ),
        account=account,
        service_account=service,
        agent_option_allowed=settings.agents.agent_option,
        settings_where=str(settings.source.absolute() if settings.source else "—"),
    )
    set_language(agent_language(settings, identity.login, args.language))
    return Context(settings=settings, db_path=Path(db), agent=identity.login, way=identity.way)


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
    if sudo_caller(os.environ, os.getuid()) is not None:  # a caller's file is never read
        known.config, known.agent = settings_module.SYSTEM_CONFIG_PATH, None
    try:
        settings = load_settings(known.config)
    except (UserError, ValueError, OSError):
        return None
    try:
        login = known.agent or running_account()
    except UserError:
        return settings
    language = known.language if known.language in UI_LANGUAGES else None
    set_language(agent_language(settings, login, language))
    return settings


def _ssh_command(args: argparse.Namespace, argv: list[str]) -> argparse.Namespace:
    """With an agent's forced command (``--login``), what the agent asked SSH to run: a command
    and its options, never a global option or a shell."""
    asked = os.environ.get(SSH_COMMAND_ENV, "").strip()
    if not args.login or args.command is not None or not asked:
        return args
    try:
        words = shlex.split(asked)
    except ValueError as error:
        raise UserError(tr("identity.ssh_options", words=asked, option=error)) from None
    if words and words[0].startswith("-"):
        raise UserError(tr("identity.ssh_options", words=asked, option=words[0]))
    return build_parser().parse_args([*argv, *words])


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # what the program creates is its account's alone: the store, letters, logs
    try:
        words = list(sys.argv[1:] if argv is None else argv)
        settings = _language_first(words)
        args = _ssh_command(parse_arguments(words), words)
        context = make_context(args, settings, words)
        handler: Command = getattr(args, "handler", run_app)
        if handler is not run_app:  # the app turns it on once drawn (see launch.py)
            gc.enable()
        context.admit(getattr(args, "job", Job.APP), getattr(args, "command", None))
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
