"""The improvement actions of the case file: those the case led to (its panel), and what ``A``
offers — a new action from the case, or the case linked to an open one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.console import Group, RenderableType
from rich.text import Text

from plaintes_tui.domain.case_record import Case
from plaintes_tui.domain.improvements import Improvement
from plaintes_tui.i18n import short_date, tr
from plaintes_tui.printable import shortened
from plaintes_tui.tui.dialogs.form import Field, FormDialog
from plaintes_tui.tui.text import user_text

NEW = "new"


def improvements_panel(improvements: Sequence[Improvement], today: date) -> RenderableType:
    lines: list[RenderableType] = [Text(tr("improvement.title"), style="bold")]
    for improvement in improvements:
        line = Text(f"{improvement.reference}  ")
        line.append_text(user_text(shortened(improvement.title, 60)))
        status = tr(f"improvement_status.{improvement.status.value}")
        due = (
            f", {tr('improvement.due_on', day=short_date(improvement.due))}"
            if improvement.due
            else ""
        )
        late = improvement.late(today)
        line.append(f" — {status}{due}", style="bold red" if late else "")
        lines.append(line)
    lines.append(Text(tr("improvement.case_hint"), style="dim"))
    return Group(*lines)


def choice_dialog(case: Case, open_ones: Sequence[Improvement]) -> FormDialog:
    """A new action from this case, or an open one this case led to as well."""
    choices = [(NEW, tr("improvement.choice_new"))] + [
        (str(i.id), f"{i.reference} {shortened(i.title, 50)}") for i in open_ones
    ]
    field = Field("which", tr("improvement.choice"), "choice", tuple(choices))
    return FormDialog(f"{tr('improvement.title')} — {case.reference}", (field,), {"which": NEW})
