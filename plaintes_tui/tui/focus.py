"""Moving between fields at once, for forms typed faster than the screen redraws.

Textual applies a focus change after the keys already queued for the old field: a fast typist
(or a paste, or a phone agent who knows the form by heart) would see the next field's text land
in the previous one. Tab and shift+tab bound with priority move the focus before the next key
is dispatched.
"""

from __future__ import annotations

from typing import ClassVar

from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.screen import Screen


class ImmediateFocus(Screen[object]):
    """A screen whose tab and shift+tab move the focus before the next key is handled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "move_focus(1)", show=False, priority=True),
        Binding("shift+tab", "move_focus(-1)", show=False, priority=True),
    ]

    def action_move_focus(self, step: int) -> None:
        chain = self.focus_chain
        if not chain or self.app.screen is not self:
            raise SkipAction()
        index = chain.index(self.focused) if self.focused in chain else -step
        self.set_focus(chain[(index + step) % len(chain)])
