"""User text on screen: always data, never markup or terminal control.

A complainant's name or description may hold ``[bold]``, an escape sequence or a right-to-left
mark; it must show as typed and never move the cursor or change colours. Rich ``Text`` never
parses markup; control characters are swapped for their visible Unicode pictures.
"""

from __future__ import annotations

import re

from rich.style import Style
from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␇ for BEL …
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def printable(value: str) -> str:
    """``value`` with every control character (but tab and newline) made visible."""
    return _CONTROL.sub(_picture, value)


def one_line(value: str) -> str:
    """For a table cell: printable, on one line."""
    return printable(value).replace("\n", " ").replace("\t", " ")


def user_text(value: str | None, style: Style | str = "") -> Text:
    """A ``Text`` of user-typed ``value``, safe to show anywhere."""
    return Text(printable(value or ""), style=style, no_wrap=False)
