"""The letter as it will leave: the agent reads it, edits it, then produces it with ctrl+s."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, TextArea

from plaintes_tui.domain.letters import Letter
from plaintes_tui.i18n import tr
from plaintes_tui.tui.focus import after_typed


class LetterDialog(ModalScreen[Letter | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "produce", tr("letters.produce"), priority=True),
        Binding("escape", "cancel", tr("letters.cancel")),
    ]
    DEFAULT_CSS = """
    LetterDialog { align: center middle; }
    LetterDialog > Vertical {
        width: 96; height: 90%; padding: 1 2; border: thick $primary; background: $surface;
    }
    LetterDialog .letter-title { text-style: bold; }
    LetterDialog TextArea { height: 1fr; }
    LetterDialog .letter-hint { color: $text-muted; }
    """

    def __init__(self, title: str, letter: Letter) -> None:
        super().__init__()
        self.letter_title = title
        self.letter = letter

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.letter_title, classes="letter-title", markup=False)
            yield Input(self.letter.subject, id="letter-subject")
            yield TextArea(self.letter.body, id="letter-body", soft_wrap=True)
            yield Label(tr("letters.hint"), classes="letter-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#letter-body", TextArea).focus()

    def action_produce(self) -> None:
        after_typed(self, self._produce)

    def _produce(self) -> None:
        subject = self.query_one("#letter-subject", Input).value.strip()
        body = self.query_one("#letter-body", TextArea).text
        self.dismiss(Letter(subject, body if body.endswith("\n") else body + "\n"))

    def action_cancel(self) -> None:
        self.dismiss(None)
