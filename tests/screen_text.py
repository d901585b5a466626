"""Reading what a widget shows, as plain text, the way an agent reads the screen."""

from __future__ import annotations

from textual.geometry import Region
from textual.widget import Widget


def rendered(widget: Widget) -> str:
    region = Region(0, 0, widget.outer_size.width, widget.outer_size.height)
    return "\n".join(strip.text.rstrip() for strip in widget.render_lines(region))
