"""Which letter to write: every kind is listed; one that makes no sense now says why."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from plaintes_tui.domain.letters import KindChoice, LetterKind
from plaintes_tui.i18n import tr
from plaintes_tui.tui.keys import ModalScreen


def choice_label(choice: KindChoice) -> Text:
    label = Text(tr(f"letters.{choice.kind.value}"), style="bold" if not choice.why_not else "")
    if choice.why_not:
        label.append(f"\n   {tr(choice.why_not)}", style="italic")
    elif choice.again:
        label.append(f" — {tr('letters.again')}")
    return label


class LetterKindDialog(ModalScreen[LetterKind | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "letters.cancel")]
    DEFAULT_CSS = """
    LetterKindDialog { align: center middle; }
    LetterKindDialog > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 1; border: thick $primary; background: $surface;
    }
    LetterKindDialog OptionList { height: auto; max-height: 16; }
    LetterKindDialog .hint { color: $text-muted; }
    """

    def __init__(self, title: str, choices: Sequence[KindChoice]) -> None:
        super().__init__()
        self.dialog_title = title
        self.choices = list(choices)
        self.opened_by_key_at: float | None = None  # a key typed right after closes it

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.dialog_title, markup=False)
            yield OptionList(
                *(
                    Option(choice_label(c), id=c.kind.value, disabled=c.why_not is not None)
                    for c in self.choices
                ),
                id="letter-kinds",
            )
            yield Label(tr("letters.choose_hint"), classes="hint", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        first = next((n for n, c in enumerate(self.choices) if c.why_not is None), None)
        options.highlighted = first

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(LetterKind(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
