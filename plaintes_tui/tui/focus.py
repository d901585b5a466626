"""Moving between fields at once, for forms typed faster than the screen redraws.

Textual applies a focus change after the keys already queued for the old field: a fast typist
(or a paste, or a phone agent who knows the form by heart) would see the next field's text land
in the previous one. Tab and shift+tab bound with priority move the focus before the next key
is dispatched; saving waits for the keys already typed (:func:`after_typed`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.widgets import RadioButton, RadioSet

from plaintes_tui.tui.keys import Screen


class ImmediateFocus(Screen[object]):
    """A screen whose tab and shift+tab move the focus before the next key is handled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "move_focus(1)", show=False, priority=True),
        Binding("shift+tab", "move_focus(-1)", show=False, priority=True),
    ]

    def take_choice(self) -> bool:
        """Enter in a list of choices takes the option under the cursor (the caller then moves
        on, as enter does everywhere else). False when the focus is not on a choice."""
        choices = self.focused
        if not isinstance(choices, RadioSet):
            return False
        highlighted = choices._selected
        if highlighted is not None:
            button = choices.query(RadioButton)[highlighted]
            if not button.value:
                button.value = True
        return True

    def action_move_focus(self, step: int) -> None:
        chain = self.focus_chain
        if not chain or self.app.screen is not self:
            raise SkipAction()
        index = chain.index(self.focused) if self.focused in chain else -step
        self.set_focus(chain[(index + step) % len(chain)])


def after_typed(screen: Screen[Any], then: Callable[[], object]) -> None:
    """Run ``then`` once the focused field has taken the keys already sent to it.

    A priority key (ctrl+s, enter on the last field) is handled as soon as it arrives, while the
    keys typed just before it still wait in the field's queue — and a key a field leaves to a
    binding (space on a list of choices) climbs its parents' queues up to the app, where the
    binding acts. ``then`` follows the same way up, each hop queued behind what came first, so
    that it sees everything that was typed and chosen.
    """
    focused = screen.focused
    if focused is None:
        then()
        return
    hops = [focused, *focused.ancestors]

    def hop(index: int) -> None:
        if index == len(hops):
            then()
        else:
            hops[index].call_later(hop, index + 1)

    hop(0)
