"""User text on screen: always data, never markup or terminal control.

A complainant's name or description may hold ``[bold]``, an escape sequence or a right-to-left
mark; it must show as typed and never move the cursor or change colours. Rich ``Text`` never
parses markup; :mod:`plaintes_tui.printable` makes control characters visible.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from plaintes_tui.printable import one_line, printable

__all__ = ["one_line", "printable", "user_text"]


def user_text(value: str | None, style: Style | str = "") -> Text:
    """A ``Text`` of user-typed ``value``, safe to show anywhere."""
    return Text(printable(value or ""), style=style, no_wrap=False)
