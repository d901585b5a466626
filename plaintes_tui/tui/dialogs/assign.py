"""Asking which agent gets the marked cases: the answer comes back through ``dismiss``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label

from plaintes_tui.i18n import tr


class AssignDialog(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]
    DEFAULT_CSS = """
    AssignDialog { align: center middle; }
    AssignDialog > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 100%; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    AssignDialog Label { margin-bottom: 1; width: 100%; }
    AssignDialog .hint { color: $text-muted; margin: 1 0 0 0; }
    """

    def __init__(self, count: int, agents: Sequence[str]) -> None:
        super().__init__()
        self.count = count
        self.agents = list(agents)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(tr("assign.title", count=self.count), markup=False)
            yield Label(tr("assign.prompt"), markup=False)
            yield Input(suggester=SuggestFromList(self.agents), id="assign-agent")
            yield Label(
                tr("assign.known", agents=", ".join(self.agents) or "—"),
                classes="hint",
                markup=False,
            )
            yield Label(tr("assign.confirm"), classes="hint", markup=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        agent = event.value.strip()
        if agent:
            self.dismiss(agent)

    def action_cancel(self) -> None:
        self.dismiss(None)
