"""The key bar: the screen's keys on one line, drawn as one widget.

It looks and answers like Textual's footer (a key clicked is a key pressed; the palette's key
on the right), but a footer builds a widget per key, each styled and laid out: 15 to 20 ms
before the first screen shows, again at each move between fields. On a narrow terminal
(80×24 over SSH) the keys are packed closer and the palette's reminder is left out (ctrl+p
still opens it), so that no key is cut.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

NARROW = 110  # columns: under this, the compact key bar
BORDER = "▏"  # before the palette's key, as Textual's footer draws it


class BarKey(NamedTuple):
    """A key the bar shows, as the screen's bindings give it."""

    key: str
    display: str  # as the app shows the key: ^s, f2, ⏎
    description: str
    enabled: bool
    tooltip: str
    palette: bool = False


class Placed(NamedTuple):
    """Where a key is drawn: from ``start`` to ``end`` cells along the bar."""

    key: BarKey
    start: int
    end: int


def shown_keys(screen: Screen[object]) -> tuple[BarKey, ...]:
    """The screen's active bindings that show in the bar, one per action (the first bound),
    then the palette's key: what Textual's footer shows."""
    app = screen.app
    by_action: dict[str, BarKey] = {}
    palette: BarKey | None = None
    for key, (_, binding, enabled, tooltip) in screen.active_bindings.items():
        if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
            tip = binding.tooltip or binding.description
            display = app.get_key_display(binding)
            palette = BarKey(key, display, binding.description, enabled, tip, palette=True)
        elif binding.show and binding.action not in by_action:
            shown = BarKey(
                binding.key, app.get_key_display(binding), binding.description, enabled, tooltip
            )
            by_action[binding.action] = shown
    return (*by_action.values(), *((palette,) if palette else ()))


class KeyBar(Widget, can_focus=False):
    COMPONENT_CLASSES = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--border",
        "key-bar--hover",
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--border {
            color: $foreground 20%;
        }
        & > .key-bar--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
    }
    """
    ALLOW_SELECT = False

    def __init__(self) -> None:
        super().__init__()
        self.keys: tuple[BarKey, ...] = ()  # those shown, the palette's last
        self.placed: tuple[Placed, ...] = ()  # where they were last drawn
        self._hover: BarKey | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Moving from one field to the next changes the focus, not the keys shown: the bar is
        drawn again only when they change."""
        if not self.is_attached or screen is not self.screen:
            return
        keys = shown_keys(screen)
        if keys != self.keys:
            self.keys = keys
            self.refresh()

    # -- drawing -------------------------------------------------------------------------------

    def render(self) -> Text:
        width = self.size.width
        compact = width < NARROW
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        line = Text(no_wrap=True, overflow="crop", end="")
        placed: list[Placed] = []
        palette = None
        for key in self.keys:
            if key.palette:
                palette = key
                continue
            start = line.cell_len
            self._append(line, key, key_style, description_style, compact=compact)
            placed.append(Placed(key, start, line.cell_len))
            if compact:
                line.append(" ")
        if palette is not None and not compact:
            right = Text(no_wrap=True, end="")
            self._append(right, palette, key_style, description_style, compact=True)
            right.append(" ")
            start = width - right.cell_len
            if start > line.cell_len + 1:  # room for it, right-aligned, after a border
                line.append(" " * (start - 1 - line.cell_len))
                line.append(BORDER, self.get_component_rich_style("key-bar--border"))
                line.append_text(right)
                placed.append(Placed(palette, start, width))
        self.placed = tuple(placed)
        return line

    def _append(
        self, line: Text, key: BarKey, key_style: Style, description_style: Style, *, compact: bool
    ) -> None:
        begin, pad = len(line), "" if compact else " "
        if key.description:
            line.append(f"{pad}{key.display}{pad}", key_style)
            line.append(
                f" {key.description}" if compact else f"{key.description} ", description_style
            )
        else:
            line.append(key.display, key_style)
        if key == self._hover:
            line.stylize(self.get_component_rich_style("key-bar--hover", partial=True), begin)
        if not key.enabled:
            line.stylize(Style(dim=True), begin)

    # -- the mouse -----------------------------------------------------------------------------

    def _at(self, x: int) -> BarKey | None:
        return next((p.key for p in self.placed if p.start <= x < p.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._at(event.x)
        if hover != self._hover:
            self._hover = hover
            self.tooltip = (hover.tooltip or None) if hover else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        key = self._at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
