"""`plaintes queue`: the open cases, most urgent first, as the queue screen shows them."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from plaintes_tui.commands.base import EXIT_OK, Context, int_between, parse_date_option
from plaintes_tui.domain.deadlines import Band, DeadlineCalculator
from plaintes_tui.i18n import short_date, tr
from plaintes_tui.printable import one_line
from plaintes_tui.store.queue import QueueFilter, QueueRow, queue_window


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "queue",
        help="the open cases, most urgent first",
        description="List the open cases, most urgent first: the worst running clock "
        "(overdue, due soon, on track), then the earliest due date, then the reference.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON rows")
    parser.add_argument("--today", metavar="DATE", help="show the queue as it stands on DATE")
    parser.add_argument(
        "--limit", type=int_between(0, 10**9), default=50, metavar="N", help="at most N rows (50)"
    )
    parser.add_argument("--overdue", action="store_true", help="only cases with a late clock")
    parser.add_argument("--agent-filter", metavar="NAME", help="only cases assigned to NAME")
    parser.add_argument("--search", metavar="TEXT", default="", help="full-text search")
    parser.set_defaults(handler=run)


def queue_json_row(row: QueueRow, calculator: DeadlineCalculator, today: date) -> dict[str, Any]:
    reply_band = row.reply_band(calculator, today)
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
    }


def _due_text(due: date | None, band: Band | None) -> str:
    if due is None or band is None:
        return "—"
    return f"{short_date(due)} {tr('band.' + band.value)}"


def run(context: Context, args: argparse.Namespace) -> int:
    today = parse_date_option(args.today) if args.today else context.settings.today()
    calculator = context.calculator()
    flt = QueueFilter(overdue_only=args.overdue, agent=args.agent_filter, search=args.search)
    with context.open_store() as store:
        rows = queue_window(store, flt, today, 0, max(0, args.limit))
    out = sys.stdout
    if args.json:
        json.dump(
            [queue_json_row(row, calculator, today) for row in rows],
            out,
            ensure_ascii=False,
            indent=2,
        )
        out.write("\n")
        return EXIT_OK
    if not rows:
        print(tr("queue.empty"), file=out)
        return EXIT_OK
    for row in rows:
        ack = _due_text(row.clocks.acknowledgement_due, row.acknowledgement_band(calculator, today))
        reply = _due_text(row.clocks.reply_due, row.reply_band(calculator, today))
        columns = [
            row.reference,
            short_date(row.received),
            f"{tr('channel.' + row.channel):<11}",
            f"{one_line(row.complainant or tr('queue_screen.anonymous'))[:28]:<28}",
            f"{tr('status.' + row.status):<24}",
            f"{tr('queue.ack')} {ack:<26}",
            f"{tr('queue.reply')} {reply}",
        ]
        print("  ".join(columns), file=out)
    return EXIT_OK
