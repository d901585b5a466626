"""The key bar: on a narrow terminal (80×24 over SSH) it packs the keys closer and leaves out
the palette's reminder (ctrl+p still opens it), so that no key is cut; and it is built again
only when the keys it shows change, not at every move between fields."""

from __future__ import annotations

from collections.abc import Hashable

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

NARROW = 110  # columns: under this, the compact key bar


def shown_keys(screen: Screen[object]) -> tuple[Hashable, ...]:
    """What Textual's footer draws of the screen's active bindings (those shown, and the
    palette's key): the same keys give the same bar."""
    palette = screen.app.COMMAND_PALETTE_BINDING
    return tuple(
        (
            binding.key,
            binding.action,
            binding.description,
            binding.show,
            None if binding.group is None else binding.group.description,
            enabled,
            tooltip,
        )
        for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
        if binding.show or key == palette
    )


class KeyBar(Footer):
    DEFAULT_CSS = """
    KeyBar.-compact FooterKey.-command-palette { display: none; }
    """

    _drawn: tuple[Hashable, ...] | None = None  # the keys the bar was last built with

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < NARROW

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._drawn = shown_keys(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Moving from one field to the next changes the focus, not the keys shown: the bar
        (a dozen widgets) is built again only when they change (15 to 30 ms a field)."""
        if (
            self._drawn is not None
            and self.is_attached
            and screen is self.screen
            and shown_keys(screen) == self._drawn
        ):
            return
        super().bindings_changed(screen)
