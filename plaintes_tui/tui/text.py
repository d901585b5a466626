"""User text on screen: always data, never markup or terminal control.

A complainant's name or description may hold ``[bold]``, an escape sequence or a right-to-left
mark; it must show as typed and never move the cursor or change colours. Rich ``Text`` never
parses markup; :mod:`plaintes_tui.printable` makes control characters visible.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from plaintes_tui.printable import one_line, printable

__all__ = ["one_line", "printable", "shown_path", "user_text"]


def user_text(value: str | None, style: Style | str = "") -> Text:
    """A ``Text`` of user-typed ``value``, safe to show anywhere."""
    return Text(printable(value or ""), style=style, no_wrap=False)


def shown_path(path: str) -> str:
    """A file's place as the agent can type it: relative to the folder the app was started
    from when it lies inside it (``data/output/…``), else in full."""
    from pathlib import Path

    full = Path(path)
    try:
        return str(full.relative_to(Path.cwd()))
    except ValueError:
        return str(full)
