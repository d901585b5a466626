"""A yes/no question; the answer comes back through ``dismiss``. Its keys are the first
letters of yes and no in the agent's language (``o``/``n`` in French, ``j``/``n`` in Dutch),
and ``y`` too."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label

from plaintes_tui.i18n import tr
from plaintes_tui.tui.keys import ModalScreen


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"letter('{key}')", show=False) for key in "ojn"),
        Binding("y", "answer(True)", "intake.yes", show=False),
        Binding("escape", "answer(False)", "intake.no", show=False),
    ]
    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical {
        width: 64; height: auto; padding: 1 2; border: thick $warning; background: $surface;
    }
    ConfirmDialog Label { width: 100%; }
    ConfirmDialog Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ConfirmDialog Button { margin-left: 2; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, markup=False)
            with Horizontal():
                yield Button(f"{tr('intake.yes')} ({tr('keys.yes')})", id="yes", variant="warning")
                yield Button(f"{tr('intake.no')} ({tr('keys.no')})", id="no")

    def on_mount(self) -> None:
        for button in self.query("#no").results(Button):  # "no" is the safe answer
            button.focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_letter(self, key: str) -> None:
        """A letter answers when it is the first of yes or no in the agent's language."""
        if key in (tr("keys.yes"), tr("keys.no")):
            self.dismiss(key == tr("keys.yes"))


def leave_if_sure(dialog: ModalScreen[Any], changed: bool, question: str) -> None:
    """Close ``dialog`` with nothing (``None``); when the agent ``changed`` something in it,
    only once they answer yes to ``question`` — the safe answer keeps the typing."""
    if not changed:
        dialog.dismiss(None)
        return

    def leave(sure: bool | None) -> None:
        if sure:
            dialog.dismiss(None)

    dialog.app.push_screen(ConfirmDialog(question), leave)
