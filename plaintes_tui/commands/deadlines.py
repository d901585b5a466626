"""`plaintes deadlines`: both due dates for dates of receipt, in French or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TextIO

from plaintes_tui.commands.base import EXIT_OK, EXIT_SOME_INPUT_BAD, Context
from plaintes_tui.domain.access import Job
from plaintes_tui.domain.calendar import DayOff, DayOffKind
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import long_date, tr


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    deadlines = commands.add_parser(
        "deadlines",
        help=tr("help.command.deadlines"),
        description=tr("help.about.deadlines"),
    )
    deadlines.add_argument("dates", nargs="*", metavar="DATE", help=tr("help.deadlines.dates"))
    deadlines.add_argument("--json", action="store_true", help=tr("help.deadlines.json"))
    deadlines.add_argument("--explain", action="store_true", help=tr("help.deadlines.explain"))
    deadlines.set_defaults(handler=run, job=Job.CALCULATE)


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


def run(context: Context, args: argparse.Namespace) -> int:
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
