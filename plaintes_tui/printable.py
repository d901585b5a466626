"""The one sanitiser for text that people typed (complainants and agents alike).

Whatever is printed — on screen, in a notification, by the command line — goes through
:func:`printable` first: a name or a description may hold an escape sequence (which would
retitle the terminal or colour the screen), a right-to-left override (which would show the
line backwards) or an emoji joined from several (which terminals draw narrower than counted,
shifting every later column). It must show as typed and never act.
"""

from __future__ import annotations

import re

# C0 and C1 controls but tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides and isolates: shown as a visible mark instead.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# Joiners and presentation selectors: dropped, so that every emoji is drawn on its own, at the
# width it is counted.
_JOINERS = re.compile(r"[\u200b-\u200d\u2060\ufe0e\ufe0f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␇ for BEL …
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def printable(value: str) -> str:
    """``value`` with every control character (but tab and newline) made visible, direction
    overrides shown as ``�`` and joiners dropped."""
    value = _CONTROL.sub(_picture, value)
    value = _BIDI.sub("\ufffd", value)
    return _JOINERS.sub("", value)


def one_line(value: str) -> str:
    """For a table cell or a header: printable, on one line."""
    return printable(value).replace("\n", " ").replace("\t", " ")


def shortened(value: str, width: int, *, lines: bool = False) -> str:
    """``one_line`` (``printable``, its lines kept, with ``lines``), at most ``width``
    characters: a longer text ends with "…", so a reader knows it was cut."""
    line = printable(value) if lines else one_line(value)
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


# What never enters the store or a letter: controls (escape sequences start with one) and
# direction overrides; tab and newline only where a field holds lines (a description, a note).
_STORED_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: a title, a hyperlink …
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves …
    r"|\x9b[0-?]*[ -/]*[@-~]"  # the same from its one-byte introducer
    r"|\x1b[@-Z\\-_]"  # any other two-character escape
)


def clean(value: str, *, lines: bool = False) -> str:
    """``value`` as it may be stored or printed in a letter: escape sequences removed whole,
    other control characters and direction overrides dropped, ``\\r\\n`` made ``\\n``. With
    ``lines``, newlines and tabs stay; else each becomes a space. The one function through
    which text from outside (e-mails, forms, settings, the store's callers) comes in."""
    if value.isprintable():  # no control, no override, no newline: nothing to take out
        return value
    value = _ESCAPE_SEQUENCE.sub("", value.replace("\r\n", "\n"))
    if not lines:
        value = value.replace("\n", " ").replace("\t", " ")
    return _STORED_CONTROL.sub("", value)
