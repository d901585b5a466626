"""Opening the case store: pragmas for several agents at once, migrations, write transactions.

Several agents run the app on one file (on one server, over SSH): WAL lets readers and one
writer work together, the busy timeout makes a writer wait its turn instead of failing, and
every write that reads first takes the write lock up front (``BEGIN IMMEDIATE``) so two of them
can never interleave.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr
from plaintes_tui.store.schema_version import MARKED_FROM, SCHEMA_VERSION
from plaintes_tui.store.writer_turn import end_turn, take_turn

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger("plaintes")

BUSY_TIMEOUT_MS = 15_000
# After the busy timeout, a write is tried again this many times before giving up.
WRITE_ATTEMPTS = 4


class StoreError(UserError):
    """The store cannot do what was asked; the message says why, in the agents' language."""


class Store:
    """The case store: one file, and one connection for each thread that uses it.

    A connection is never shared between threads: each thread reads with its own, so a read on
    one thread can never hold another thread's view of the store in the past, and every read
    sees what other agents have committed. Connections are opened on first use and closed
    together by :meth:`close`.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        # Whether opening it rolled back a write a killed program had left half done.
        self.recovered = False
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._closed = False

    @property
    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            with self._guard:
                if self._closed:
                    raise StoreError(tr("store.closed"))
                connection = connect(self.path)
                self._opened.append(connection)
            self._local.connection = connection
        return connection

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over this thread's connection."""
        import sqlite_utils  # loads with the first screen that needs it, not at start

        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None or db.conn is not self.connection:
            db = self._local.db = sqlite_utils.Database(self.connection)
        return db

    def close(self) -> None:
        with self._guard:
            self._closed = True
            opened, self._opened = self._opened, []
        for connection in opened:
            connection.close()

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
        A store that cannot be written (read-only, disk full, locked too long) raises a
        :class:`StoreError` that says so; nothing of the transaction is kept.
        """
        connection = self.connection
        turn = take_turn(self.path)  # after the writers before it (see writer_turn.py)
        try:
            _begin_write(connection, _BEGIN_ALL if attached_too else _BEGIN_MAIN)
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as error:
            message = write_failure(error, self.path)
            if message is None:  # not the store's state but a fault: logged as one
                raise
            raise StoreError(message) from error
        finally:
            end_turn(turn)


def write_failure(error: sqlite3.Error, path: Path) -> str | None:
    """What an agent reads when the store cannot be written, in words they can act on; None
    when the error says nothing of the store's state (a fault in the program)."""
    text = str(error).lower()
    if "readonly" in text or "read-only" in text:
        return tr("store.read_only", path=path)
    if "full" in text:
        return tr("store.disk_full", path=path)
    if "locked" in text or "busy" in text:
        return tr("store.busy")
    if "disk i/o" in text or "unable to open" in text:
        return tr("store.write_failed", path=path, error=error)
    return None


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


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection with the store's per-connection settings; it writes nothing to the file."""
    mode = "ro" if read_only else "rw"
    connection = sqlite3.connect(
        f"{path.resolve().as_uri()}?mode={mode}",
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,  # only so that Store.close() may close it from any thread
    )
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


_SQLITE_HEADER = b"SQLite format 3\x00"


def open_store(path: Path | str, *, create: bool = False, upgrade: bool = True) -> Store:
    """Open the store at ``path`` and bring it to this program's schema.

    A missing store is created only with ``create`` (the demo and the tests); otherwise it is
    refused with the command that creates it. Nothing is written to a file before it is known
    to be a case store of a version this program can use: another application's SQLite file,
    a store from a newer version or a file that is not SQLite at all is left untouched.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise StoreError(tr("store.no_folder", path=path, folder=path.parent))
    if path.is_dir():
        raise StoreError(tr("store.is_folder", path=path))
    if not path.exists() and not create:
        raise StoreError(tr("store.missing", path=path))
    beside = _sidecars(path)
    new = not path.exists()
    if not new:
        _check_header(path)
    elif not os.access(path.parent, os.W_OK):
        raise StoreError(tr("store.folder_read_only", path=path, folder=path.parent))
    else:
        sqlite3.connect(path).close()  # an empty file: a new store
    copy: Path | None = None
    store: Store | None = None
    recovered = path.with_name(path.name + "-journal") in beside
    try:
        version = _inspect(path, new=new)
        if version < SCHEMA_VERSION and not upgrade:
            raise StoreError(tr("store.too_old", path=path, version=version))
        store = Store(path)
        store.recovered = recovered and not path.with_name(path.name + "-journal").exists()
        connection = store.connection
        connection.execute("PRAGMA journal_mode = WAL")
        if version < SCHEMA_VERSION:
            if version > 0:
                copy = backup_copy(connection, path, version)
            migrate(connection)
    except BaseException as error:
        if store is not None:
            store.close()
        if copy is not None:  # a refused migration leaves no extra copy of personal data
            copy.unlink(missing_ok=True)
        _remove_new_sidecars(path, beside, store_too=new)
        if isinstance(error, sqlite3.Error):
            raise StoreError(_open_failure(error, path)) from None
        raise
    return store


_SIDECARS = ("-wal", "-shm", "-journal")


def _sidecars(path: Path) -> set[Path]:
    """The files SQLite keeps beside the store that exist now."""
    return {p for p in (path.with_name(path.name + end) for end in _SIDECARS) if p.exists()}


def _remove_new_sidecars(path: Path, existed: set[Path], *, store_too: bool) -> None:
    """A store refused leaves nothing beside it that was not there before (nor itself, when
    this call created it)."""
    for sidecar in _sidecars(path) - existed:
        sidecar.unlink(missing_ok=True)
    if store_too:
        path.unlink(missing_ok=True)


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except OSError as error:
        raise StoreError(tr("store.unreadable", path=path, error=error.strerror)) from None
    if header and header != _SQLITE_HEADER:
        raise StoreError(tr("store.not_sqlite", path=path))


# Written in every store's header (migration 17): "PLT1". A store of an older version, without
# it, is recognised by its tables.
APPLICATION_ID = 0x504C5431
_OWN_TABLES = frozenset({"complainants", "cases", "journal", "reference_counters"})


def _inspect(path: Path, *, new: bool = False) -> int:
    """The store's schema version, read without writing; refuses what is not a case store.
    A store left with a hot journal (a bulk load killed halfway) is rolled back first by a
    read-write open, which a read-only one cannot do."""
    if path.with_name(path.name + "-journal").exists():
        with closing(connect(path)) as connection:
            connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        log.warning("%s: an interrupted write was rolled back", path)
    try:
        with closing(connect(path, read_only=True)) as connection:
            version = store_version(connection, path, new=new)
    except sqlite3.Error as error:
        raise StoreError(_open_failure(error, path)) from None
    return version


def store_version(connection: sqlite3.Connection, path: Path, *, new: bool = False) -> int:
    """The schema version of the store open on ``connection``; :class:`StoreError` when it is
    empty (unless ``new``), another program's, or of a newer version than this program's."""
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    application = int(connection.execute("PRAGMA application_id").fetchone()[0])
    query = "SELECT name FROM sqlite_schema WHERE type = 'table'"
    tables = {name for (name,) in connection.execute(query)}
    if version == 0 and not tables:
        if new:
            return 0
        raise StoreError(tr("store.empty", path=path))
    if application == APPLICATION_ID and version > SCHEMA_VERSION:
        raise StoreError(tr("store.too_new", path=path, version=version, supported=SCHEMA_VERSION))
    ours = application == APPLICATION_ID or (application == 0 and 0 < version < MARKED_FROM)
    if not ours or not tables >= _OWN_TABLES:
        raise StoreError(tr("store.foreign", path=path))
    return version


def _open_failure(error: sqlite3.Error, path: Path) -> str:
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return tr("store.busy_opening", path=path)
    if "unable to open" in text or "readonly" in text or "read-only" in text:
        if not os.access(path.parent, os.W_OK):
            return tr("store.folder_read_only", path=path, folder=path.parent)
        if not os.access(path, os.W_OK):
            return tr("store.read_only", path=path)
    if "full" in text:
        return tr("store.disk_full", path=path)
    return tr("store.unreadable", path=path, error=error)


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
    from plaintes_tui.store.schema import AFTER, MIGRATIONS  # only a store to bring up to date

    for number, script in enumerate(MIGRATIONS[:target], start=1):
        _begin_write(connection)
        try:
            current = int(connection.execute("PRAGMA user_version").fetchone()[0])
            if current >= number:  # another process got there first
                connection.execute("ROLLBACK")
                continue
            for statement in _statements(script):
                connection.execute(statement)
            if number in AFTER:
                AFTER[number](connection)
            connection.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
