"""Keys labelled in the agent's language.

A binding's description is a catalogue key (``"queue_keys.search"``), never a translated text:
classes are made once, when their module is imported, before anyone knows who the agent is
and which language they read. Every screen of the app is a :class:`Screen` of this module,
whose active bindings (what the key bar, the keys panel and the palette show) carry their
labels translated; Textual's own labels ("Delete left") are looked up under ``textual.``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from textual.binding import ActiveBinding
from textual.screen import ModalScreen as TextualModalScreen
from textual.screen import Screen as TextualScreen

from plaintes_tui.i18n import tr_or

ResultType = TypeVar("ResultType")


def label(description: str) -> str:
    """A key's label in the agent's language."""
    if not description:
        return description
    return tr_or(description, tr_or(f"textual.{description}", description))


def own_keys(screen: TextualScreen[object]) -> list[tuple[str, str]]:
    """(label, action) of the app's own active keys, each action once: not Textual's
    (scrolling, copying, moving the focus), whose labels are no catalogue keys."""
    actions: dict[str, str] = {}
    for _, binding, enabled, _ in TextualScreen.active_bindings.fget(screen).values():  # type: ignore[attr-defined]
        key = binding.description
        if enabled and key and binding.action not in actions and tr_or(key, ""):
            actions[binding.action] = tr_or(key, key)
    return [(name, action) for action, name in actions.items()]


class Screen(TextualScreen[ResultType]):
    """A screen whose keys are shown in the agent's language."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return {
            key: active._replace(
                binding=replace(
                    active.binding,
                    description=label(active.binding.description),
                    tooltip=label(active.binding.tooltip),
                ),
                tooltip=label(active.tooltip),
            )
            for key, active in super().active_bindings.items()
        }


class ModalScreen(TextualModalScreen[ResultType], Screen[ResultType]):
    """A dialog whose keys are shown in the agent's language."""
