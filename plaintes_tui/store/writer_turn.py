"""Writers take their turn in order: a lock on a file beside the store, queued by the kernel.

SQLite lets one writer in at a time, and one that finds the store locked sleeps and tries again
(1, 2, 5 … up to 100 ms a try): with twenty agents saving at once, a writer can lose the race
again and again while others, arriving later, win it (the 20-agent bench's p99 was 500 ms). A
writer that first waits for ``flock`` on ``<store>-writer`` sleeps in the kernel's queue and is
woken when the one before it is done, so each waits for the writes ahead of it, not for luck.

The turn is a courtesy, not the safety: SQLite's own lock still keeps writes whole. A turn not
had within its time (a writer holding the store for long, a file that cannot be opened) lets
the write go on to SQLite's lock as before; the lock is the kernel's, so a process that dies
gives its turn up.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

# How long a writer waits for its turn before going on to SQLite's own lock.
TURN_SECONDS = 10.0
# The file beside the store whose lock is the turn (the store's ``plaintes.db-writer``).
SUFFIX = "-writer"


def _open(path: Path) -> int | None:
    try:
        return os.open(f"{path}{SUFFIX}", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:  # a read-only folder: SQLite's lock alone
        return None


class _Waiting:
    """A turn waited for by a thread of its own: handed to the writer, or given back at once
    when the writer stopped waiting — whichever comes first, decided under one lock."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._done = threading.Event()  # the lock had, or the waiting failed
        self._lock = threading.Lock()
        self._had = self._abandoned = False

    def wait(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            had = True
        except OSError:
            had = False
        with self._lock:
            keep = had and not self._abandoned
            self._had = keep
            self._abandoned = not keep
        self._done.set()
        if not keep:
            os.close(self.fd)  # the lock, if had, goes with the file

    def take(self, seconds: float) -> int | None:
        self._done.wait(seconds)
        with self._lock:
            if self._had:
                return self.fd
            self._abandoned = True  # the thread closes the file when it ends
            return None


def take_turn(path: Path, seconds: float = TURN_SECONDS) -> int | None:
    """The turn to write the store at ``path``: an open file holding the lock, to give to
    :func:`end_turn`; None when there is none to have (then SQLite's lock alone)."""
    fd = _open(path)
    if fd is None:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd  # nobody writing: at once, no thread
    except BlockingIOError:
        pass
    except OSError:
        os.close(fd)
        return None
    waiting = _Waiting(fd)
    threading.Thread(target=waiting.wait, daemon=True).start()
    return waiting.take(seconds)


def end_turn(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # the lock goes with the file
