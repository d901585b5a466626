"""`plaintes demo`: fill the store with realistic demo cases."""

from __future__ import annotations

import argparse
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

from plaintes_tui.commands.base import EXIT_OK, Context, int_between, parse_date_option
from plaintes_tui.commands.progress import progress_bar
from plaintes_tui.domain.access import Actor, Job
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr
from plaintes_tui.store.database import Store
from plaintes_tui.store.training import for_training, mark_for_training

# A demo of ten million cases already takes minutes and gigabytes.
MAX_CASES = 10_000_000
# The demo's history reaches three years back from its "today".
FIRST_YEAR, LAST_YEAR = 1900, 2999


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "demo",
        help=tr("help.command.demo"),
        description=tr("help.about.demo"),
    )
    parser.add_argument(
        "--cases",
        type=int_between(1, MAX_CASES),
        default=2000,
        metavar="N",
        help=tr("help.demo.cases"),
    )
    parser.add_argument("--seed", type=int, default=1, metavar="S", help=tr("help.demo.seed"))
    parser.add_argument("--today", metavar="DATE", help=tr("help.demo.today"))
    parser.add_argument("--if-empty", action="store_true", help=tr("help.demo.if_empty"))
    parser.set_defaults(handler=run, job=Job.TRAIN)


def run(context: Context, args: argparse.Namespace) -> int:
    today = parse_date_option(args.today) if args.today is not None else context.settings.today()
    if not FIRST_YEAR <= today.year <= LAST_YEAR:
        raise UserError(
            tr("demo.bad_today", day=today.isoformat(), first=FIRST_YEAR, last=LAST_YEAR)
        )
    start = time.perf_counter()
    with _one_load_at_a_time(context.db_path.parent):
        return _load(context, args, today, start)


@contextmanager
def _one_load_at_a_time(folder: Path) -> Iterator[None]:
    """Demo loads on one folder's store wait for each other (a lock on the folder itself: no
    file is left beside the store), so that loads started at once all succeed, in turn."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # no such folder: opening the store says so
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _load(context: Context, args: argparse.Namespace, today: date, start: float) -> int:
    from plaintes_tui.store.demo import generate_demo  # loads with the demo, not at start
    from plaintes_tui.store.demo.coordinator import coordinators_year
    from plaintes_tui.store.demo.load import sweep_work_folders

    sweep_work_folders(context.db_path.parent)  # a killed load's, now that none runs here
    new = not context.db_path.exists()
    with context.open_store(create=True) as store:
        if args.if_empty and store.connection.execute("SELECT 1 FROM cases LIMIT 1").fetchone():
            return EXIT_OK
        if new:
            mark_for_training(store)
        elif not for_training(store):
            raise UserError(tr("identity.demo_real_store", path=context.db_path))
        with progress_bar(tr("progress.demo", cases=args.cases)) as report:
            result = generate_demo(
                store,
                cases=args.cases,
                seed=args.seed,
                today=today,
                calculator=context.calculator(),
                progress=report,
            )
        _demo_mail(context, store, today)
        _demo_scans(context, store, today)
        coordinators_year(store, today, context.calculator())
    print(
        tr(
            "demo.done",
            cases=result.cases,
            complainants=result.complainants,
            path=context.db_path,
            seconds=f"{time.perf_counter() - start:.1f}",
        )
    )
    return EXIT_OK


def _demo_scans(context: Context, store: Store, today: date) -> None:
    """Two scanned letters in the demo's inbox beside the e-mails."""
    from plaintes_tui.demo_scans import demo_scans

    noon = datetime.combine(today, clock(12, 0), tzinfo=context.settings.zone)
    demo_scans(store, settings=context.settings, noon=noon)


def _demo_mail(context: Context, store: Store, today: date) -> None:
    """A few e-mails in the demo's inbox, one of them a reply to an open case (a paused one,
    when there is one: the case file then offers to resume its clock)."""
    from plaintes_tui.mail import demo_messages, take_in

    row = store.connection.execute(
        "SELECT c.reference, p.first_name || ' ' || p.last_name, p.email FROM cases AS c "
        "JOIN complainants AS p ON p.id = c.complainant_id "
        "WHERE c.next_due IS NOT NULL AND p.email IS NOT NULL "
        "ORDER BY c.status = 'paused' DESC, c.id LIMIT 1"
    ).fetchone()
    noon = datetime.combine(today, clock(12, 0), tzinfo=context.settings.zone)
    take_in(
        store,
        demo_messages(noon, row[0], (row[1], row[2])) if row else demo_messages(noon, None),
        settings=context.settings,
        actor=Actor("demo"),
        now=noon,
    )
