"""Keys as typed: escape and the key after it, arriving together, stay two keys.

A terminal sends alt and a key as escape then the key, so Textual reads an escape followed,
within its escape delay, by another key (a fast hand, SSH, tmux) as that key with alt. Nothing
here is bound to alt: such a key is escape, then the key (``as_typed``). Textual keeps the alt
on a letter only, though: on another key (``/``, ``?``, enter, space) it drops it and the
escape with it, and it reads escape and a digit (or ``-``, ``=``) as a character of a Mac
keyboard's option layer (``¡``). ``keep_escapes`` has its parser mark those keys alt too, and
read escape and a character as two keys as soon as they come (Textual waits for more, and an
escape typed next would turn the first into a ^ typed). Escape with ``f``, ``b``, tab or
backspace stays as terminals mean it (a word right or left, shift+tab, a word erased).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import events


def as_typed(event: events.Key) -> list[events.Key]:
    """The keys typed: ``alt+`` a key is escape, then that key (``esc e`` is back to the
    queue, then its inbox; ``esc /`` back to the queue, then its search)."""
    character = event.character
    if not event.key.startswith("alt+") or character is None:
        return [event]
    key = character if character.isalnum() else event.key.removeprefix("alt+")
    return [events.Key("escape", "\x1b"), events.Key(key, character)]


# What follows escape to begin a terminal's sequence (CSI, SS3, OSC, DCS, APC, PM, SOS): the
# parser reads on. After any other character, escape and it are two keys, read at once.
_INTRODUCERS = frozenset("[O]P_^X")


def keep_escapes() -> None:
    """Have Textual's terminal parser read escape and any key that come together as that key
    with alt (once for the process, before the application reads its first key)."""
    from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
    from textual._xterm_parser import XTermParser

    original = XTermParser._sequence_to_key_events
    if getattr(original, "keeps_escapes", False):
        return

    def sequence_to_key_events(
        self: XTermParser, sequence: str, alt: bool = False
    ) -> Iterable[events.Key]:
        if len(sequence) == 2 and sequence[0] == "\x1b":
            known = ANSI_SEQUENCES_KEYS.get(sequence)
            option_layer = isinstance(known, str)  # escape, a digit
            if option_layer or (known is None and sequence[1] not in _INTRODUCERS):
                sequence, alt = sequence[1], True
        for event in original(self, sequence, alt=alt):
            if alt and len(sequence) == 1 and not event.key.startswith("alt+"):
                event = events.Key(f"alt+{event.key}", event.character)
            yield event

    patched: Any = sequence_to_key_events
    patched.keeps_escapes = True
    XTermParser._sequence_to_key_events = patched  # type: ignore[method-assign]
