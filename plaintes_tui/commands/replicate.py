"""`plaintes replicate` (the store shipped to a standby, for a systemd unit), `plaintes status`
(where the store and its replication stand) and `plaintes restore --from-replica`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from plaintes_tui.commands.base import EXIT_OK, EXIT_SOME_INPUT_BAD, Context
from plaintes_tui.commands.verify import told
from plaintes_tui.domain.access import Job
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import short_moment, tr


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "replicate",
        help=tr("help.command.replicate"),
        description=tr("help.about.replicate"),
    )
    parser.set_defaults(handler=run_replicate, job=Job.ADMINISTER)
    parser = commands.add_parser(
        "status", help=tr("help.command.status"), description=tr("help.about.status")
    )
    parser.add_argument("--json", action="store_true", help=tr("help.status.json"))
    parser.set_defaults(handler=run_status, job=Job.ADMINISTER)


def run_replicate(context: Context, args: argparse.Namespace) -> int:
    from plaintes_tui.replication import replica_of, replicate  # each command loads its own

    replica_of(context.settings)  # one sentence when it is not set, before anything starts
    with context.open_store():  # the store exists and is this program's
        pass
    return replicate(context.settings, context.db_path, told=print)


def run_status(context: Context, args: argparse.Namespace) -> int:
    from plaintes_tui.replication import read_state, replication_said
    from plaintes_tui.store.verify import last_failure

    settings = context.settings
    now = settings.now()
    with context.open_store() as store:
        (cases,) = store.connection.execute("SELECT count(*) FROM cases").fetchone()
        failure = last_failure(store)
    state = read_state(settings, context.db_path, now)
    if args.json:
        print(
            json.dumps(
                {
                    "store": str(context.db_path),
                    "cases": cases,
                    "verification_failed": failure[1] if failure else None,
                    "replication": None
                    if state is None
                    else {
                        "replica": state.replica,
                        "running": state.running,
                        "last_sync": state.last_sync.isoformat() if state.last_sync else None,
                        "lag_seconds": None
                        if state.remote and state.last_sync is None
                        else round(state.lag(now), 1),
                    },
                }
            )
        )
    else:
        print(tr("health.store", path=context.db_path, cases=cases))
        if failure:
            print(tr("health.verify_failed", count=failure[0], at=failure[1]))
        print(replication_said(state, now))
    return EXIT_OK if state is None or state.running else EXIT_SOME_INPUT_BAD


def run_restore_from_replica(context: Context, args: argparse.Namespace) -> int:
    """`plaintes restore --from-replica [--at MOMENT] TARGET`."""
    from plaintes_tui.replication import restore_from_replica

    if len(args.paths) != 1:
        raise UserError(tr("replication.restore_usage"))
    at = None
    if args.at:
        try:
            at = datetime.fromisoformat(args.at).replace(tzinfo=context.settings.zone)
        except ValueError:
            raise UserError(tr("replication.bad_moment", value=args.at)) from None
    done = restore_from_replica(context.settings, Path(args.paths[0]), at=at)
    if at is None:
        print(tr("replication.restored_latest", path=done.path, cases=done.cases))
    else:
        print(tr("replication.restored", path=done.path, cases=done.cases, moment=short_moment(at)))
    if done.files is not None:
        print(tr("replication.restored_files", folder=done.files, files=done.file_count))
    if done.files_failed is not None:
        print(tr("replication.files_not_restored", error=done.files_failed), file=sys.stderr)
        return EXIT_SOME_INPUT_BAD
    if not done.verification.ok:
        print("\n".join(told(done.verification)), file=sys.stderr)
        return EXIT_SOME_INPUT_BAD
    return EXIT_OK
