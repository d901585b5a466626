"""A detail panel below a list, held to half the screen (``max-height: 50%``): what it shows
must fit, or say what it left out — never have its end cut off unseen on a short terminal.
The inbox's preview and the actions' detail count their rows here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget


def panel_rows(screen: Screen[Any]) -> int:
    """The rows of a panel held to half of what the docked title and key bars leave of
    ``screen``, its top border off."""
    bars = sum(bar.outer_size.height for bar in screen.query("TitleBar, KeyBar"))
    return max((screen.size.height - bars) // 2 - 1, 3)


def panel_width(panel: Widget, screen: Screen[Any]) -> int:
    """The width ``panel``'s text wraps at (before it is laid out: the screen's, less the
    padding)."""
    return max(panel.size.width or screen.size.width - 2, 20)


def rows_of(parts: Iterable[Text], width: int, console: Console) -> int:
    """How many rows ``parts`` take, wrapped at ``width``."""
    return sum(len(part.wrap(console, width)) for part in parts)


def cut_to_rows(text: Text, rows: int, width: int, console: Console) -> Text:
    """``text`` in at most ``rows`` rows at ``width``: whole, or its first rows, the last
    ending in "…"."""
    lines = text.wrap(console, width)
    if len(lines) <= rows:
        return text
    kept = lines[: max(rows, 1)]
    last = kept[-1]
    last.rstrip()
    last.truncate(max(width - 1, 1))
    last.append("…")
    return Text("\n").join(kept)
