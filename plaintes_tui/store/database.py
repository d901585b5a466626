"""Opening the case store: pragmas for several agents at once, migrations, write transactions.

Several agents run the app on one file (on one server, over SSH): WAL lets readers and one
writer work together, the busy timeout makes a writer wait its turn instead of failing, and
every write that reads first takes the write lock up front (``BEGIN IMMEDIATE``) so two of them
can never interleave.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr
from plaintes_tui.store.schema import MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 15_000
# After the busy timeout, a write is tried again this many times before giving up.
WRITE_ATTEMPTS = 4


class StoreError(UserError):
    """The store cannot do what was asked; the message says why, in the agents' language."""


class Store:
    """One connection to the case store. Use one per thread."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None) -> None:
        self.connection = connection
        self.path = path
        self.db = sqlite_utils.Database(connection)
        self._lock = threading.RLock()

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.connection.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def write(self, *, attached_too: bool = True) -> Iterator[sqlite3.Connection]:
        """A write transaction holding the write lock from its first statement.

        ``attached_too=False``: lock the store alone, leaving the databases attached to this
        connection free for another process to write until this transaction reads them.
        """
        with self._lock:
            _begin_write(self.connection, _BEGIN_ALL if attached_too else _BEGIN_MAIN)
            try:
                yield self.connection
                self.connection.execute("COMMIT")
            except BaseException:
                if self.connection.in_transaction:
                    self.connection.execute("ROLLBACK")
                raise


# The write lock on the store and on every database attached to it.
_BEGIN_ALL = ("BEGIN IMMEDIATE",)
# A deferred transaction whose first statement writes to the store (and nothing else): the
# write lock is taken at once, on the store only. The statement changes no row.
_BEGIN_MAIN = ("BEGIN", "UPDATE main.reference_counters SET year = year WHERE 0")


def _begin_write(connection: sqlite3.Connection, statements: tuple[str, ...] = _BEGIN_ALL) -> None:
    for attempt in range(WRITE_ATTEMPTS):
        try:
            for statement in statements:
                connection.execute(statement)
            return
        except sqlite3.OperationalError as error:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            time.sleep(0.05 * (attempt + 1))
    raise StoreError(tr("store.busy"))


def connect(path: Path | str) -> sqlite3.Connection:
    connection = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
    return connection


def open_store(path: Path | str, *, upgrade: bool = True) -> Store:
    """Open (creating it when missing) and bring the store to this program's schema."""
    is_memory = str(path) == ":memory:"
    file_path = None if is_memory else Path(path)
    if file_path is not None:
        file_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = connect(path)
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as error:
        raise StoreError(tr("store.unreadable", path=path, error=error)) from None
    if version > SCHEMA_VERSION:
        connection.close()
        raise StoreError(tr("store.too_new", path=path, version=version, supported=SCHEMA_VERSION))
    if version < SCHEMA_VERSION and upgrade:
        if version > 0 and file_path is not None:
            backup_copy(connection, file_path, version)
        migrate(connection)
    return Store(connection, file_path)


def backup_copy(connection: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the store aside before migrating it: ``plaintes.db`` → ``plaintes.v1.bak.db``."""
    target = path.with_name(f"{path.stem}.v{version}.bak{path.suffix}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.stem}.v{version}.bak{counter}{path.suffix}")
    destination = sqlite3.connect(target)
    try:
        connection.backup(destination)
    finally:
        destination.close()
    return target


def _statements(script: str) -> Iterator[str]:
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer
            buffer = ""
    if buffer.strip():
        yield buffer


def migrate(connection: sqlite3.Connection, target: int = SCHEMA_VERSION) -> None:
    """Apply the missing migrations, each in its own transaction, safely against a race."""
    for number, script in enumerate(MIGRATIONS[:target], start=1):
        _begin_write(connection)
        try:
            current = int(connection.execute("PRAGMA user_version").fetchone()[0])
            if current >= number:  # another process got there first
                connection.execute("ROLLBACK")
                continue
            for statement in _statements(script):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
