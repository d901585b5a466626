"""A scanned letter as the OCR read it, line by line, beside the intake form (or, on a narrow
terminal, in a dialog): the agent checks the form against the letter without the paper, the
lines read with less confidence in yellow."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from plaintes_tui.domain.letter_reading import CHECK_BELOW
from plaintes_tui.i18n import tr
from plaintes_tui.tui.keys import ModalScreen
from plaintes_tui.tui.text import user_text


def scan_text(reading: dict[str, Any], body: str, title: str = "") -> Text:
    """The letter's lines as read (``lines``: [page, text, confidence] each), a rule between
    pages; a scan read before lines were kept shows its text."""
    shown = Text()
    shown.append(title or tr("scan.letter_title"), style="bold")
    shown.append("\n")
    lines = reading.get("lines") or [[1, line, 1.0] for line in body.splitlines()]
    page = 1
    for number, text, confidence in lines:
        if number != page:
            page = number
            shown.append(f"\n── {tr('scan.page', number=page)} ──\n", style="dim")
        doubtful = float(confidence) < CHECK_BELOW
        shown.append_text(user_text(str(text), style="yellow" if doubtful else ""))
        shown.append("\n")
    return shown


class ScanPanel(VerticalScroll):
    """Beside the form on a wide terminal, while the form is filled in from a scan."""

    def compose(self) -> ComposeResult:
        yield Static(id="letter-body")

    def show(self, reading: dict[str, Any] | None, body: str = "") -> None:
        """The letter, or nothing (the panel hides); shown only on a wide screen (app.tcss)."""
        self.set_class(reading is not None, "-shown")
        if reading is not None:
            self.query_one("#letter-body", Static).update(scan_text(reading, body))
            self.scroll_home(animate=False)


class ScanDialog(ModalScreen[None]):
    """A text to read whole, over the screen — the letter as read over the form (a narrow
    terminal), a case's scanned letters, a message of the inbox; escape or ctrl+o closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "case_detail.back"),
        Binding("ctrl+o", "close", show=False),
    ]
    DEFAULT_CSS = """
    ScanDialog { align: center middle; }
    ScanDialog > Vertical {
        width: 90%; height: 90%; padding: 0 1; border: thick $primary; background: $surface;
    }
    """

    def __init__(self, text: Text) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(), VerticalScroll():
            yield Static(self.text)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()  # the arrows and page keys scroll the letter

    def action_close(self) -> None:
        self.dismiss(None)
