"""The key bar: on a narrow terminal (80×24 over SSH) it packs the keys closer and leaves out
the palette's reminder (ctrl+p still opens it), so that no key is cut."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

NARROW = 110  # columns: under this, the compact key bar


class KeyBar(Footer):
    DEFAULT_CSS = """
    KeyBar.-compact FooterKey.-command-palette { display: none; }
    """

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < NARROW
