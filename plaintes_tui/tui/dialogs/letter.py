"""The letter as it will leave: the agent reads it, edits it, then produces it with ctrl+s.

What the agent should know first (no e-mail address, a value borrowed from another language…)
is listed above the text; a letter still holding a ``[[…]]`` to complete is not produced."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, TextArea

from plaintes_tui.domain.letters import Letter
from plaintes_tui.i18n import tr
from plaintes_tui.tui.dialogs.confirm import leave_if_sure
from plaintes_tui.tui.dialogs.drafted import DraftedDialog
from plaintes_tui.tui.focus import after_typed
from plaintes_tui.tui.widgets.line_input import LineInput


class LetterDialog(DraftedDialog[Letter | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "produce", "letters.produce", priority=True),
        Binding("escape", "cancel", "letters.cancel"),
    ]
    DEFAULT_CSS = """
    LetterDialog { align: center middle; }
    LetterDialog > Vertical {
        width: 96; max-width: 100%; height: 90%; padding: 0 1; border: thick $primary;
        background: $surface;
    }
    LetterDialog Label { width: 100%; }
    LetterDialog .letter-title { text-style: bold; }
    LetterDialog .letter-notice { color: $warning; }
    LetterDialog .letter-error { color: $error; text-style: bold; }
    LetterDialog TextArea { height: 1fr; }
    LetterDialog .letter-hint { color: $text-muted; }
    """

    def __init__(self, title: str, letter: Letter, notices: Sequence[str] = ()) -> None:
        super().__init__()
        self.letter_title = title
        self.letter = letter
        self.notices = tuple(notices)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.letter_title, classes="letter-title", markup=False)
            for notice in self.notices:
                yield Label(f"⚠ {notice}", classes="letter-notice", markup=False)
            yield Label("", id="letter-error", classes="letter-error", markup=False)
            yield LineInput(self.letter.subject, id="letter-subject")
            yield TextArea(self.letter.body, id="letter-body", soft_wrap=True)
            yield Label(tr("letters.hint"), classes="letter-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#letter-error", Label).display = False
        body = self.query_one("#letter-body", TextArea)
        body.focus()
        self.restore_draft()
        self._go_to_first_placeholder()

    def draft_fields(self) -> dict[str, str]:
        subject = self.query_one("#letter-subject", Input).value
        return {"subject": subject, "body": self.query_one("#letter-body", TextArea).text}

    def restore(self, fields: dict[str, str]) -> None:
        self.query_one("#letter-subject", Input).value = fields.get("subject", "")
        self.query_one("#letter-body", TextArea).text = fields.get("body", "")

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _edited(self) -> None:
        self.typed_now()

    def _go_to_first_placeholder(self) -> None:
        """The cursor where the agent has something to write."""
        body = self.query_one("#letter-body", TextArea)
        for row, line in enumerate(body.text.split("\n")):
            column = line.find("[[")
            if column >= 0:
                body.move_cursor((row, column), center=True)
                return

    def action_produce(self) -> None:
        after_typed(self, self._produce)

    def _produce(self) -> None:
        subject = self.query_one("#letter-subject", Input).value.strip()
        body = self.query_one("#letter-body", TextArea).text
        letter = Letter(subject, body if body.endswith("\n") else body + "\n")
        left = letter.placeholders()
        if left:  # stays open: the agent completes it
            error = self.query_one("#letter-error", Label)
            error.update(tr("letters.placeholders_left", items=" ; ".join(left)))
            error.display = True
            self._go_to_first_placeholder()
            self.query_one("#letter-body", TextArea).focus()
            return
        self.dismiss(letter)

    def action_cancel(self) -> None:
        after_typed(self, self._cancel)

    def _cancel(self) -> None:
        """Leave; a letter the agent has edited, only once they say so."""
        subject = self.query_one("#letter-subject", Input).value
        body = self.query_one("#letter-body", TextArea).text
        edited = (subject, body) != (self.letter.subject, self.letter.body)
        leave_if_sure(self, edited, tr("letters.confirm_discard"))
