"""Facts the journal keeps as codes, in the reader's words.

What a move records beyond changed columns is kept as data in an entry's ``changes`` — which
record a merge took in, the values it did not take, that a pause came after the clock ran
out — never as a sentence in the writer's language. Each reader reads them in theirs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from plaintes_tui.i18n import short_date, tr, tr_or
from plaintes_tui.printable import one_line

FACTS = (
    "merged_from",
    "merged_record",
    "not_taken",
    "unmerged",
    "paused_late",
    "ombudsman_request",
    "ombudsman_answer",
)


def facts_in_words(changes: dict[str, Any]) -> list[str]:
    """The entry's facts as sentences, taken out of ``changes`` (what stays are changed
    fields). A fact blanked by retention (``[null, null]``) says nothing."""
    words = []
    other, keep = changes.pop("merged_from", [None, None])
    if other is not None:
        words.append(tr("person.merged_note", other=other, keep=keep))
    changes.pop("merged_record", None)  # kept to undo the merge, not to be read
    other, given = changes.pop("unmerged", [None, None])
    if other is not None:
        words.append(tr("person.unmerged_note", other=other, record=given))
    not_taken = changes.pop("not_taken", [None, None])[1]
    if not_taken:
        values = "; ".join(
            tr("format.labelled", label=tr_or(f"field.{name}", name), value=one_line(str(value)))
            for name, value in not_taken.items()
        )
        words.append(tr("person.merged_conflicts", values=values))
    if changes.pop("paused_late", [None, None])[1]:
        words.append(tr("workflow.paused_late_by_supervisor"))
    request = changes.pop("ombudsman_request", [None, None])[1]
    if request:
        words.append(
            tr(
                "case_ombudsman.journal_request",
                number=request["number"],
                due=_day(request["due"]),
            )
        )
    answer = changes.pop("ombudsman_answer", [None, None])[1]
    if answer:
        means = tr_or(f"case_actions.means_{answer['means']}", str(answer["means"]))
        words.append(tr("case_ombudsman.journal_answer", number=answer["number"], means=means))
    return words


def _day(text: str) -> str:
    return short_date(date.fromisoformat(text))
