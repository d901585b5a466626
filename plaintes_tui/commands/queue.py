"""`plaintes queue`: the open cases, most urgent first, as the queue screen shows them."""

from __future__ import annotations

import argparse
import io
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from plaintes_tui.commands.base import (
    EXIT_OK,
    Context,
    int_between,
    parse_date_option,
    write_whole,
)
from plaintes_tui.domain.access import Job
from plaintes_tui.domain.cases import Channel, Status
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import interface_language, tr
from plaintes_tui.store.access_log import Access, niss_in, record
from plaintes_tui.store.queue import (
    UNASSIGNED,
    VIEWS,
    QueueFilter,
    QueueRow,
    queue_count,
    queue_window,
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "queue",
        help=tr("help.command.queue"),
        description=tr("help.about.queue"),
    )
    parser.add_argument(
        "--format",
        choices=("table", "csv", "pdf", "json"),
        default="table",
        help=tr("help.queue.format"),
    )
    parser.add_argument("--json", action="store_true", help=tr("help.queue.json"))
    parser.add_argument("--output", metavar="PATH", help=tr("help.queue.output"))
    parser.add_argument("--today", metavar="DATE", help=tr("help.queue.today"))
    parser.add_argument(
        "--limit",
        type=int_between(0, 10**9),
        metavar="N",
        help=tr("help.queue.limit"),
    )
    parser.add_argument("--overdue", action="store_true", help=tr("help.queue.overdue"))
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--agent-filter", metavar="LOGIN", help=tr("help.queue.agent_filter"))
    who.add_argument("--unassigned", action="store_true", help=tr("help.queue.unassigned"))
    parser.add_argument(
        "--channel", choices=[c.value for c in Channel], help=tr("help.queue.channel")
    )
    parser.add_argument(
        "--status",
        choices=[s.value for s in Status if s is not Status.CLOSED],
        help=tr("help.queue.status"),
    )
    parser.add_argument("--unchecked", action="store_true", help=tr("help.queue.unchecked"))
    parser.add_argument("--search", metavar="TEXT", default="", help=tr("help.queue.search"))
    parser.add_argument(
        "--view",
        choices=tuple(VIEWS),
        help=tr("help.queue.view"),
    )
    parser.set_defaults(handler=run, job=Job.READ)


def queue_json_row(row: QueueRow, calculator: DeadlineCalculator, today: date) -> dict[str, Any]:
    reply_band = row.reply_band(calculator, today)
    ombudsman_due = row.clocks.ombudsman_due
    ombudsman_band = row.clocks.ombudsman_band(calculator, today)
    return {
        "reference": row.reference,
        "received": row.received.isoformat(),
        "channel": row.channel,
        "status": row.status,
        "complainant": row.complainant,
        "category": row.category,
        "assigned_to": row.assigned_to,
        "admissibility": row.admissibility,
        "acknowledgement_due": row.clocks.acknowledgement_due.isoformat(),
        "acknowledgement_band": row.acknowledgement_band(calculator, today).value,
        "reply_due": row.clocks.reply_due.isoformat() if row.clocks.reply_due else None,
        "reply_due_original": row.reply_due_original.isoformat()
        if row.reply_due_original
        else None,
        "reply_band": reply_band.value if reply_band else None,
        # the nearest deadline of the Ombudsman's open requests (it runs on a closed case too)
        "ombudsman_due": ombudsman_due.isoformat() if ombudsman_due else None,
        "ombudsman_band": ombudsman_band.value if ombudsman_band else None,
    }


def _filter(args: argparse.Namespace) -> QueueFilter:
    if args.view:
        return VIEWS[args.view]
    return QueueFilter(
        overdue_only=args.overdue,
        agent=UNASSIGNED if args.unassigned else args.agent_filter,
        channel=args.channel,
        status=args.status,
        unchecked_only=args.unchecked,
        search=args.search,
    )


SCREENFUL = 50


def run(context: Context, args: argparse.Namespace) -> int:
    today = parse_date_option(args.today) if args.today is not None else context.settings.today()
    form = "json" if args.json else args.format
    if form == "pdf" and not args.output:
        raise UserError(tr("queue_list.pdf_needs_output"))
    output = context.output_path(args.output) if args.output else None
    # A screenful on a terminal; to a file or a pipe, every row (unless --limit says otherwise).
    on_screen = output is None and form == "table" and sys.stdout.isatty()
    limit = args.limit if args.limit is not None else (SCREENFUL if on_screen else 0)
    flt = _filter(args)
    rows, total = _read(context, flt, today, limit)
    # Never cut silently: said under the list on a terminal, on stderr beside a file or a pipe.
    left_out = tr("queue.left_out", shown=len(rows), total=total) if total > len(rows) else ""
    if left_out and not on_screen:
        print(left_out, file=sys.stderr)
    text = _written(context, rows, form, flt, today, output)
    if text is None:  # a PDF, written
        return EXIT_OK
    return _emit(text + (f"{left_out}\n" if on_screen and left_out else ""), output)


def _read(
    context: Context, flt: QueueFilter, today: date, limit: int
) -> tuple[list[QueueRow], int]:
    """The rows (``limit``: at most; 0, all), and how many there are in all."""
    with context.open_store() as store:
        niss = niss_in(flt.search)
        if niss is not None:  # who looked a NISS up is logged
            record(
                store, context.agent, Access.NISS_SEARCH, now=context.settings.now(), detail=niss
            )
        rows = queue_window(store, flt, today, 0, limit or 10**9)
        total = queue_count(store, flt, today) if limit and len(rows) == limit else len(rows)
    return rows, total


def _written(
    context: Context,
    rows: list[QueueRow],
    form: str,
    flt: QueueFilter,
    today: date,
    output: Path | None,
) -> str | None:
    """The list as text in ``form`` (json, csv, table); a PDF is written to ``output``."""
    from plaintes_tui.queue_list import lines_of, table_text, write_csv, write_list

    calculator = context.calculator()
    name_of = context.settings.agents.name_of
    if form == "json":
        return (
            json.dumps(
                [queue_json_row(row, calculator, today) for row in rows],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    lines = lines_of(rows, calculator, today, name_of)
    if form == "pdf":
        service = context.settings.service.in_language(interface_language())[0].name
        assert output is not None  # a PDF needs --output, checked by run
        path = write_whole(
            output,
            lambda part: write_list(
                lines, part, today=today, flt=flt, name_of=name_of, service=service
            ),
        )
        print(tr("queue_list.written", path=path, count=len(lines)))
        return None
    if form == "csv":
        buffer = io.StringIO()
        write_csv(lines, buffer)
        return buffer.getvalue()
    if not rows:
        return tr("queue.empty" if flt == QueueFilter() else "queue.empty_filtered") + "\n"
    return table_text(lines) + "\n"


def _emit(text: str, output: Path | None) -> int:
    if output is not None:
        write_whole(output, lambda part: part.write_text(text, encoding="utf-8"))
    else:
        sys.stdout.write(text)
    return EXIT_OK
