"""The ``plaintes`` command: global options, then an optional sub-command.

With no sub-command it opens the terminal application. User mistakes end with one sentence on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from plaintes_tui import __version__
from plaintes_tui.domain.calendar import DayOff, DayOffKind
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import long_date, set_language, tr
from plaintes_tui.settings import Settings, load_settings

DB_ENV = "PLAINTES_DB"
DEFAULT_DB_PATH = Path("data/plaintes.db")

EXIT_OK = 0
EXIT_SOME_INPUT_BAD = 1
EXIT_USER_ERROR = 2


@dataclass(frozen=True)
class Context:
    """What every command needs: the settings, where the store is and who is working."""

    settings: Settings
    db_path: Path
    agent: str


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
        "--db", metavar="PATH", help=f"the case store (default: ${DB_ENV}, else {DEFAULT_DB_PATH})"
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="the settings file (default: $PLAINTES_CONFIG, else data/plaintes.toml if present)",
    )
    parser.add_argument(
        "--agent", metavar="NAME", help="who is working (default: the operating-system user)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    deadlines = commands.add_parser(
        "deadlines",
        help="both due dates for dates of receipt",
        description="Print the acknowledgement and reasoned-reply due dates for each date of "
        "receipt. Use '-' to read one ISO date per line from standard input.",
    )
    deadlines.add_argument("dates", nargs="*", metavar="DATE", help="YYYY-MM-DD, or - for stdin")
    deadlines.add_argument("--json", action="store_true", help="print a JSON list")
    deadlines.add_argument("--explain", action="store_true", help="list the days skipped and why")
    deadlines.set_defaults(handler=run_deadlines)
    return parser


# -- plaintes deadlines --------------------------------------------------------------------------


def _numbered_inputs(args: Sequence[str], stdin: TextIO) -> Iterable[tuple[int, str]]:
    for position, arg in enumerate(args, start=1):
        if arg == "-":
            for number, line in enumerate(stdin, start=1):
                if line.strip():
                    yield number, line.strip()
        else:
            yield position, arg


def _describe_day_off(off: DayOff) -> str:
    day = long_date(off.day)
    if off.kind is DayOffKind.HOLIDAY:
        return tr("deadlines.day_holiday", day=day, name=off.name)
    if off.kind is DayOffKind.CLOSURE:
        return tr("deadlines.day_closure", day=day)
    return tr("deadlines.day_weekend", day=day)


def run_deadlines(context: Context, args: argparse.Namespace) -> int:
    if not args.dates:
        raise UserError(tr("deadlines.no_dates"))
    calculator = DeadlineCalculator(context.settings.deadlines)
    rows: list[dict[str, str]] = []
    status = EXIT_OK
    out = sys.stdout
    for line, text in _numbered_inputs(args.dates, sys.stdin):
        try:
            received = date.fromisoformat(text)
        except ValueError:
            print(tr("deadlines.bad_date", line=line, text=text), file=sys.stderr)
            status = EXIT_SOME_INPUT_BAD
            continue
        explanation = calculator.explain(received)
        clocks = explanation.clocks
        if args.json:
            rows.append(
                {
                    "received": clocks.received.isoformat(),
                    "acknowledgement_due": clocks.acknowledgement_due.isoformat(),
                    "reply_due": clocks.reply_due.isoformat(),
                }
            )
            continue
        print(
            tr(
                "deadlines.line",
                received=tr("deadlines.received_label", day=long_date(clocks.received)),
                acknowledgement=long_date(clocks.acknowledgement_due),
                reply=long_date(clocks.reply_due),
            ),
            file=out,
        )
        if args.explain:
            if explanation.counts_from is not None:
                print(tr("deadlines.counts_from", day=long_date(explanation.counts_from)), file=out)
            if explanation.acknowledgement_skipped:
                print(tr("deadlines.skipped_ack"), file=out)
                for off in explanation.acknowledgement_skipped:
                    print(_describe_day_off(off), file=out)
            else:
                print(tr("deadlines.skipped_none"), file=out)
            if explanation.reply_rolled_over:
                print(tr("deadlines.skipped_reply"), file=out)
                for off in explanation.reply_rolled_over:
                    print(_describe_day_off(off), file=out)
    if args.json:
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
    return status


# -- the application -----------------------------------------------------------------------------


def run_app(context: Context, args: argparse.Namespace) -> int:
    from plaintes_tui.tui.app import PlaintesApp  # Textual loads only when the app opens

    PlaintesApp(context.settings, agent=context.agent).run()
    return EXIT_OK


def make_context(args: argparse.Namespace) -> Context:
    settings = load_settings(args.config)
    set_language(settings.language)
    db = args.db or os.environ.get(DB_ENV) or DEFAULT_DB_PATH
    return Context(settings=settings, db_path=Path(db), agent=args.agent or default_agent())


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        context = make_context(args)
        handler: Command = getattr(args, "handler", run_app)
        return handler(context, args)
    except UserError as error:
        print(tr("cli.error", message=error), file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(tr("cli.interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:  # `plaintes deadlines - | head`
        sys.stderr.close()
        return EXIT_OK
