"""`plaintes letter`: produce a case's letter from the command line, as the case file's `l`
does with the template's text, by the same rules."""

from __future__ import annotations

import argparse
import json
import sys

from plaintes_tui.commands.base import EXIT_OK, EXIT_SOME_INPUT_BAD, Context
from plaintes_tui.domain.admissibility import load_reference
from plaintes_tui.domain.letters import LetterKind
from plaintes_tui.i18n import tr
from plaintes_tui.letters import draft_letter, produce_letter
from plaintes_tui.store.cases import get_case
from plaintes_tui.store.outbox import Send


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "letter",
        help="produce a case's letter (PDF, and e-mail when the complainant has an address)",
        description="Produce a letter exactly as the case file's `l` does with the template's "
        "text, by the same rules: it is refused (non-zero exit) where `l` would refuse it, e.g. "
        "a reply that still holds a [[...]] to complete. Prints the files written. Exit status: 0 "
        "produced, 1 produced but the e-mail was not sent, 2 refused.",
    )
    parser.add_argument("reference", metavar="REFERENCE", help="the case, e.g. P-2026-00042")
    parser.add_argument("kind", choices=[kind.value for kind in LetterKind], metavar="KIND",
                        help="acknowledgement, reply, details_request or out_of_scope")  # fmt: skip
    parser.add_argument(
        "--send",
        action="store_true",
        help="send the e-mail through the settings' mail server (without it, it is only written)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(handler=run)


def run(context: Context, args: argparse.Namespace) -> int:
    settings = context.settings
    kind = LetterKind(args.kind)
    with context.open_store() as store:
        case = get_case(store, args.reference)
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
            case["id"],
            case["version"],
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
            "reference": case["reference"],
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
