"""Choices that read without colour: a selected option is ● and the others ○, a ticked box ✓.

Textual draws every radio button and checkbox with the same glyph and tells them apart by
colour alone, which a colour-blind agent or a monochrome terminal cannot see.
"""

from __future__ import annotations

from textual.events import Mount
from textual.widget import Widget
from textual.widgets import Checkbox, RadioButton, RadioSet


class ChoiceButton(RadioButton):
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual's class attribute
        return "●" if self.value else "○"


class TickBox(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual's class attribute
        return "✓" if self.value else " "


class ChoiceSet(RadioSet):
    """A list of options whose cursor starts on the option already chosen (Textual's starts
    on the first): enter or space on arrival keeps the choice instead of replacing it."""

    def _on_mount(self, event: Mount) -> None:
        # RadioSet's own handler puts the cursor on the first option: run it (and Widget's)
        # here, then move the cursor, at once — a key typed right after the form opened must
        # find it there — and stop the dispatch from running them a second time.
        super()._on_mount(event)
        Widget._on_mount(self, event)
        if self.pressed_index >= 0:
            self._selected = self.pressed_index
        event.prevent_default()


def chosen(choices: RadioSet) -> RadioButton | None:
    """The option that is on, read from the options themselves: the set learns of a change
    only when the option's message reaches it, which may be after a save already asked."""
    return next((option for option in choices.query(RadioButton) if option.value), None)
