"""Where the service's e-mail is read from, besides the IMAP mailbox (``mail.py``): a Maildir,
an mbox file, a folder of ``.eml`` and mbox files, or one file — read, never changed."""

from __future__ import annotations

import mailbox
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr


@dataclass(frozen=True)
class Incoming:
    source: str  # where it came from: a file, a Maildir key, an IMAP folder and UID
    raw: bytes
    uid: int | None = None  # the IMAP UID, to move once stored


def read_paths(paths: Iterable[Path]) -> Iterator[Incoming]:
    """Every message of these files and folders: a Maildir (``cur``/``new``), an mbox file, a
    folder of ``.eml`` files and mbox files (``.mbox``, or any file starting "From "), or one
    ``.eml``. They are read, never changed."""
    for path in paths:
        if path.is_dir() and ((path / "cur").is_dir() or (path / "new").is_dir()):
            folder = mailbox.Maildir(path, factory=None, create=False)
            for key in sorted(folder.iterkeys(), key=delivery_order):
                yield Incoming(f"{path}:{key}", folder.get_bytes(key))
        elif path.is_dir():
            files = (p for p in path.iterdir() if p.is_file())  # no pipe, no device
            for file in sorted(files):
                if file.suffix.lower() == ".eml":
                    yield Incoming(str(file), file.read_bytes())
                elif file.suffix.lower() == ".mbox" or _starts_an_mbox(file):
                    yield from _mbox(file)
        elif path.is_file():
            if _starts_an_mbox(path):
                yield from _mbox(path)
            else:
                yield Incoming(str(path), path.read_bytes())
        else:
            raise UserError(tr("mail.no_path", path=path))


def delivery_order(key: str) -> tuple[int, int, int, str]:
    """A Maildir message's place in the order of arrival: its key's seconds, then the
    microseconds (``M``) and the delivery count (``Q``) its unique part names, as numbers
    ("M99999" came before "M100000", which a sort of the text puts after it)."""
    seconds, _, rest = key.partition(".")
    unique = rest.partition(".")[0]
    micro, count = re.search(r"M(\d+)", unique), re.search(r"Q(\d+)", unique)
    return (
        int(seconds) if seconds.isdigit() else 0,
        int(micro[1]) if micro else 0,
        int(count[1]) if count else 0,
        key,
    )


def _starts_an_mbox(path: Path) -> bool:
    with path.open("rb") as opened:
        return opened.read(5) == b"From "


# A message's first line in an mbox: "From sender weekday month day hh:mm:ss year", after an
# empty line. A body line that merely starts with "From " (unescaped, as many writers leave
# it) is text, not a new message.
_SEPARATOR = re.compile(
    rb"^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|"
    rb"Nov|Dec) +\d{1,2} \d{1,2}:\d\d(?::\d\d)? (?:\S+ )?\d{4}\s*$"
)


def _mbox(path: Path) -> Iterator[Incoming]:
    """The messages of an mbox file, split on its real separators only."""
    lines = path.read_bytes().splitlines(keepends=True)
    message: list[bytes] = []
    number = 0
    previous_blank = True
    for line in lines:
        if previous_blank and _SEPARATOR.match(line):
            if message:
                yield Incoming(f"{path}:{number}", _unescaped(message))
                number += 1
            message = []
        else:
            message.append(line)
        previous_blank = not line.strip()
    if message:
        yield Incoming(f"{path}:{number}", _unescaped(message))


def _unescaped(lines: list[bytes]) -> bytes:
    """The message as written: mboxrd's ">From " (one ">" more than the original) undone."""
    text = b"".join(re.sub(rb"^>(>*From )", rb"\1", line) for line in lines)
    return text.rstrip(b"\r\n") + b"\n"
