"""A paste arrives whole, in its place among the keys, as the store would keep it.

A terminal sends a paste between two markers (bracketed paste), and Textual's parser makes
one ``Paste`` event of what comes between them — except an escape character: the parser
reads the sequence it starts as keys, sent at once, before the paste they were part of (a
text copied from a coloured terminal, ``Du\\x1b[31mpont``, was typed as ``^[31mpontDu``).
``whole_pastes`` has the parser see a stand-in for each escape inside a paste; ``pasted_text``
puts the escapes back and takes out, as the store does, their sequences and every other
control character, keeping the line breaks (which terminals send as carriage returns).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from plaintes_tui.printable import clean

_ESCAPE = "\x1b"
_START, _END = "\x1b[200~", "\x1b[201~"
# What the parser reads for an escape inside a paste: a character of a private use area.
_STAND_IN = "\ue000"


class PasteGuard:
    """The text for the parser, read by read: escapes inside a paste replaced by the stand-in.
    Markers split between two reads are found: what may begin the end marker is held back
    until the next read (the marker always follows); nothing outside a paste ever is."""

    def __init__(self) -> None:
        self.in_paste = False
        self.seen = ""  # the end of the last read outside a paste: a start marker's beginning
        self.held = ""  # the end of the last read inside a paste: an end marker's beginning

    def __call__(self, data: str) -> str:
        text, self.held = self.held + data, ""
        out: list[str] = []
        position = 0
        while position < len(text):
            if self.in_paste:
                position = self._inside(text, position, out)
            else:
                position = self._outside(text, position, out)
        return "".join(out)

    def _outside(self, text: str, position: int, out: list[str]) -> int:
        window = self.seen + text[position:]
        found = window.find(_START)
        if found < 0:
            out.append(text[position:])
            self.seen = window[-(len(_START) - 1) :]
            return len(text)
        after = position + found + len(_START) - len(self.seen)
        out.append(text[position:after])
        self.in_paste, self.seen = True, ""
        return after

    def _inside(self, text: str, position: int, out: list[str]) -> int:
        found = text.find(_END, position)
        if found >= 0:
            out.append(text[position:found].replace(_ESCAPE, _STAND_IN) + _END)
            self.in_paste = False
            return found + len(_END)
        body = text[position:]
        kept = next((n for n in range(len(_END) - 1, 0, -1) if body.endswith(_END[:n])), 0)
        out.append(body[: len(body) - kept].replace(_ESCAPE, _STAND_IN))
        self.held = body[len(body) - kept :]
        return len(text)


def whole_pastes() -> None:
    """Have Textual's terminal parser read each paste whole (once for the process, before the
    application reads its first key)."""
    from textual._xterm_parser import XTermParser

    original: Callable[[XTermParser, str], Iterable[Any]] = XTermParser.feed
    if getattr(original, "whole_pastes", False):
        return

    def feed(self: XTermParser, data: str) -> Iterable[Any]:
        guard = self.__dict__.setdefault("paste_guard", PasteGuard())
        return original(self, guard(data) if data else data)  # "": the input's end

    patched: Any = feed
    patched.whole_pastes = True
    XTermParser.feed = patched  # type: ignore[method-assign]


def pasted_text(text: str) -> str:
    """What a field keeps of a paste: its escape sequences and control characters out, its
    line breaks (carriage returns included) as newlines."""
    text = text.replace(_STAND_IN, _ESCAPE).replace("\r\n", "\n").replace("\r", "\n")
    return clean(text, lines=True)


def pasted_line(text: str) -> tuple[str, int]:
    """``text`` on one line, and how many lines were joined: a text of one line as it is
    (without its line break), else its lines not blank, stripped, joined by a space; tabs
    made spaces."""
    given = text.replace("\t", " ").splitlines()
    if len(given) <= 1:
        return (given[0] if given else ""), 1
    lines = [line.strip() for line in given if line.strip()]
    return " ".join(lines), len(lines)
