"""`plaintes verify`: the journal's chain, the schema, each case and the counters checked."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from plaintes_tui.commands.base import EXIT_OK, EXIT_SOME_INPUT_BAD, Context
from plaintes_tui.domain.access import Job
from plaintes_tui.i18n import tr

if TYPE_CHECKING:
    from plaintes_tui.store.database import Store
    from plaintes_tui.store.verify import Verification


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "verify",
        help=tr("help.command.verify"),
        description=tr("help.about.verify"),
    )
    parser.add_argument("--json", action="store_true", help=tr("help.verify.json"))
    parser.set_defaults(handler=run, job=Job.ADMINISTER)


def verified(context: Context, store: Store, folder: Path | None = None) -> Verification:
    """Verify the store against the heads the backups recorded (in the settings' backups
    folder, or ``folder``), and remember the outcome for the coordinators' screens."""
    from plaintes_tui.store.verify import recorded_heads, remember, verify_store  # when run

    heads = recorded_heads(folder or context.settings.backups)
    result = verify_store(store, heads=heads)
    remember(store, result, context.settings.now().isoformat(timespec="minutes"))
    return result


def told(result: Verification) -> list[str]:
    """The problems, one sentence each, as printed."""
    lines = [tr("verify.failed", count=len(result.problems) + result.untold)]
    lines += [f"  - {problem}" for problem in result.problems]
    if result.untold:
        lines.append(f"  {tr('verify.untold', count=result.untold)}")
    return lines


def run(context: Context, args: argparse.Namespace) -> int:
    with context.open_store() as store:
        result = verified(context, store)
    row, head = result.head
    if args.json:
        print(
            json.dumps(
                {
                    "ok": result.ok,
                    "journal_rows": result.rows,
                    "cases": result.cases,
                    "head": {"row": row, "hash": head},
                    "problems": result.problems,
                    "problems_not_listed": result.untold,
                },
                ensure_ascii=False,
            )
        )
    else:
        print(tr("verify.chain_head", row=row, hash=head))
        if result.ok:
            print(tr("verify.ok", rows=result.rows, cases=result.cases))
        else:
            print("\n".join(told(result)))
    return EXIT_OK if result.ok else EXIT_SOME_INPUT_BAD
