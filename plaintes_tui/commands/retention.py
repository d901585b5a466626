"""`plaintes retention`: anonymise what is past the retention period; safe daily from cron."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from plaintes_tui.commands.base import EXIT_OK, Context, parse_date_option
from plaintes_tui.commands.person import exports_folder
from plaintes_tui.domain.access import Job
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import short_date, tr

if TYPE_CHECKING:
    from plaintes_tui.store.retention import RetentionRun


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "retention",
        help=tr("help.command.retention"),
        description=tr("help.about.retention"),
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help=tr("help.retention.dry_run"))
    mode.add_argument("--apply", action="store_true", help=tr("help.retention.apply"))
    parser.add_argument("--today", metavar="YYYY-MM-DD", help=tr("help.retention.today"))
    parser.add_argument("--json", action="store_true", help=tr("help.retention.json"))
    parser.set_defaults(handler=run, job=Job.ADMINISTER)


def run(context: Context, args: argparse.Namespace) -> int:
    from plaintes_tui.store.retention import apply, plan

    actor = context.actor()  # a coordinator or the service account (see cli's door)
    settings = context.settings
    today = parse_date_option(args.today) if args.today is not None else settings.today()
    if args.apply and today > settings.today():  # what it deletes cannot come back
        raise UserError(tr("retention.future", day=today.isoformat(), today=settings.today()))
    rules = settings.personal_data
    with context.open_store() as store:
        if args.apply:
            done = apply(
                store,
                today=today,
                now=settings.now(),
                years=rules.retention_years,
                inactive_years=rules.inactive_years,
                draft_days=rules.draft_days,
                actor=actor,
                exports=exports_folder(context),
                access_years=rules.access_log_years,
            )
        else:
            done = plan(
                store,
                today=today,
                now=settings.now(),
                years=rules.retention_years,
                inactive_years=rules.inactive_years,
                draft_days=rules.draft_days,
            )
    if args.json:
        print(json.dumps({"applied": bool(args.apply), **done.as_json()}))
    else:
        print(_in_words(done, applied=bool(args.apply)))
    return EXIT_OK


def _in_words(done: RetentionRun, *, applied: bool) -> str:
    values = {
        "cutoff": short_date(done.cutoff),
        "persons": done.persons,
        "cases": done.cases,
        "files": done.letter_files,
        "drafts": done.drafts + done.exports,
        "kept": done.kept_open,
        "inactive": done.inactive_closed,
        "inactive_since": short_date(done.inactive_since),
    }
    lines = [tr("retention.applied" if applied else "retention.dry_run", **values)]
    if done.inactive_closed:
        lines.append(tr("retention.inactive", **values))
    if applied and not done.wal_truncated:
        lines.append(tr("retention.wal_busy"))
    return "\n".join(lines)
