"""Choices that read without colour: a selected option is ● and the others ○, a ticked box ✓.

Textual draws every radio button and checkbox with the same glyph and tells them apart by
colour alone, which a colour-blind agent or a monochrome terminal cannot see.
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton, RadioSet


class ChoiceButton(RadioButton):
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual's class attribute
        return "●" if self.value else "○"


class TickBox(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual's class attribute
        return "✓" if self.value else " "


def chosen(choices: RadioSet) -> RadioButton | None:
    """The option that is on, read from the options themselves: the set learns of a change
    only when the option's message reaches it, which may be after a save already asked."""
    return next((option for option in choices.query(RadioButton) if option.value), None)
