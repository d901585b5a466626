"""`plaintes scan import`: the mailroom's scanned letters read into the inbox; for cron."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from plaintes_tui.commands.base import EXIT_OK, Context
from plaintes_tui.domain.access import Job
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr
from plaintes_tui.printable import one_line


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "scan", help=tr("help.command.scan"), description=tr("help.about.scan")
    )
    actions = parser.add_subparsers(dest="scan_action", metavar="ACTION", required=True)
    importing = actions.add_parser(
        "import", help=tr("help.command.scan_import"), description=tr("help.about.scan_import")
    )
    importing.add_argument("paths", nargs="*", metavar="PATH")
    importing.add_argument("--dry-run", action="store_true", help=tr("help.scan.dry_run"))
    importing.add_argument("--json", action="store_true", help=tr("help.scan.json"))
    importing.set_defaults(handler=run_import, job=Job.MAIL)


def run_import(context: Context, args: argparse.Namespace) -> int:
    from plaintes_tui.scan_import import import_scans  # Pillow and the OCR load when used

    actor = context.actor()
    if actor.read_only and not args.dry_run:
        raise UserError(tr("access.read_only"))
    settings = context.settings
    paths = [Path(p) for p in args.paths]
    if not paths:
        if settings.scan.folder is None:
            raise UserError(tr("scan.no_folder", settings=settings.source or "—"))
        paths = [settings.scan.folder]
    with context.open_store() as store:
        done = import_scans(
            store,
            paths,
            settings=settings,
            actor=actor,
            now=settings.now(),
            dry_run=args.dry_run,
        )
    if args.json:
        print(json.dumps(done.as_json(), ensure_ascii=False))
        return EXIT_OK
    for item in done.items:
        who = " ".join(str(item.get(k, "")) for k in ("last_name", "first_name")).strip()
        what = item.get("reason") or f"{who or '—'} — {item.get('town', '—')}"
        if item.get("case"):
            what = f"{what} → {item['case']}"
        outcome = tr(f"scan.outcome_{item['outcome']}")
        print(f"  {outcome}  {one_line(str(item['file']))}  {one_line(str(what))}")
    summary = "scan.dry_run" if args.dry_run else "scan.imported"
    counts = {k: v for k, v in done.as_json().items() if k != "items"}
    print(tr(summary, **counts))
    return EXIT_OK
