"""`plaintes letter`: produce a case's letter from the command line, as the case file's `l`
does with the template's text, by the same rules."""

from __future__ import annotations

import argparse
import json
import sys

from plaintes_tui.commands.base import EXIT_OK, EXIT_SOME_INPUT_BAD, Context
from plaintes_tui.domain.access import Job
from plaintes_tui.domain.letters import LetterKind
from plaintes_tui.i18n import tr


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "letter",
        help=tr("help.command.letter"),
        description=tr("help.about.letter"),
    )
    parser.add_argument("reference", metavar="REFERENCE", help=tr("help.letter.reference"))
    parser.add_argument("kind", choices=[kind.value for kind in LetterKind], metavar="KIND",
                        help=tr("help.letter.kind"))  # fmt: skip
    parser.add_argument(
        "--send",
        action="store_true",
        help=tr("help.letter.send"),
    )
    parser.add_argument("--json", action="store_true", help=tr("help.letter.json"))
    parser.set_defaults(handler=run, job=Job.WORK)


def run(context: Context, args: argparse.Namespace) -> int:
    from plaintes_tui.domain.admissibility import load_reference  # each command loads its own
    from plaintes_tui.letters import draft_letter, produce_letter
    from plaintes_tui.store.cases import read_case
    from plaintes_tui.store.outbox import Send

    settings = context.settings
    kind = LetterKind(args.kind)
    with context.open_store() as store:
        case = read_case(store, args.reference)
        draft = draft_letter(
            store,
            case,
            kind,
            settings=settings,
            agent=context.agent,
            reference_data=load_reference(settings.overrides),
        )
        produced = produce_letter(
            store,
            case.id,
            case.version,
            kind,
            draft.letter,
            settings=settings,
            actor=context.actor(),
            now=settings.now(),
            calculator=context.calculator(),
            send=args.send,
        )
    if args.json:
        result = {
            "reference": case.reference,
            "kind": kind.value,
            "files": [str(path) for path in produced.files],
            "send": produced.send.value,
            "error": produced.error,
            "notices": list(draft.notices),
        }
        print(json.dumps(result, ensure_ascii=False))
    else:
        for notice in draft.notices:
            print(f"⚠ {notice}", file=sys.stderr)
        for path in produced.files:
            print(path)
        print(tr(f"send.{produced.send.value}", error=produced.error or ""))
    # Produced, but the e-mail did not leave: a cron job should notice.
    return EXIT_SOME_INPUT_BAD if produced.send is Send.FAILED else EXIT_OK
