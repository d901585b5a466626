"""Backups of the case store while agents work, and their restoration into a new store.

SQLite's online backup copies the store in one step from a read transaction: in WAL mode a
reader never blocks the agents' writes, and the copy is the store as it was at one instant.
The copy is written under a temporary name, checked (``integrity_check``, the schema, the case
count) and only then given its name; the letters folder is copied beside it, each file that an
earlier backup already holds unchanged being hard-linked rather than copied (a letter's file
never changes once written).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from plaintes_tui.i18n import tr
from plaintes_tui.store.database import Store, StoreError, connect, store_version

PREFIX = "plaintes-"
SUFFIX = ".db"
LETTERS = "-letters"


@dataclass(frozen=True)
class Backup:
    path: Path
    cases: int
    letters: Path | None = None
    letter_files: int = 0
    linked: int = 0  # letter files hard-linked to the previous backup's copy
    removed: tuple[Path, ...] = ()


def verify(path: Path) -> int:
    """The number of cases in the backup at ``path``; :class:`StoreError` saying what is wrong
    when it is not a sound case store."""
    if not path.is_file():
        raise StoreError(tr("backup.missing", path=path))
    try:
        with closing(connect(path, read_only=True)) as connection:
            (check,) = connection.execute("PRAGMA integrity_check").fetchone()
            if check != "ok":
                raise StoreError(tr("backup.corrupt", path=path, problem=check))
            try:
                store_version(connection, path)
            except StoreError:  # empty, another program's, or a newer version's
                raise StoreError(tr("backup.not_a_store", path=path)) from None
            (cases,) = connection.execute("SELECT count(*) FROM cases").fetchone()
    except sqlite3.Error as error:
        raise StoreError(tr("backup.corrupt", path=path, problem=error)) from None
    return int(cases)


def letters_copy_of(backup: Path) -> Path:
    """Where the letters folder's copy of ``backup`` is."""
    return backup.with_name(backup.stem + LETTERS)


def backups_in(folder: Path) -> list[Path]:
    """The backups in ``folder``, oldest first (their names sort by time)."""
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file() and _stamp(p) is not None
    )


def _stamp(path: Path) -> str | None:
    stamp = path.name[len(PREFIX) : -len(SUFFIX)]
    try:
        datetime.strptime(stamp, "%Y%m%d-%H%M%S")
    except ValueError:
        return None
    return stamp


def take_backup(
    store: Store, folder: Path, *, letters: Path | None, keep: int, now: datetime
) -> Backup:
    """Back the store up into ``folder`` (and the ``letters`` folder beside it), keep the
    ``keep`` newest backups and remove the older ones."""
    folder.mkdir(parents=True, exist_ok=True)
    previous = backups_in(folder)
    target = folder / f"{PREFIX}{now:%Y%m%d-%H%M%S}{SUFFIX}"
    while target.exists():  # two backups within a second: the next second's name
        now += timedelta(seconds=1)
        target = folder / f"{PREFIX}{now:%Y%m%d-%H%M%S}{SUFFIX}"
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(part)) as destination:
            store.connection.backup(destination)  # one step: one instant of the store
            destination.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        cases = verify(part)
        part.rename(target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    copied = linked = 0
    copy = None
    if letters is not None and letters.is_dir():
        copy = letters_copy_of(target)
        earlier = letters_copy_of(previous[-1]) if previous else None
        copied, linked = _copy_letters(letters, copy, earlier)
    removed = tuple(_prune(folder, keep))
    return Backup(target, cases, copy, copied, linked, removed)


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.endswith(".part"):
            yield path


def _copy_letters(source: Path, target: Path, earlier: Path | None) -> tuple[int, int]:
    count = linked = 0
    for path in _files(source):
        relative = path.relative_to(source)
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        before = earlier / relative if earlier is not None else None
        count += 1
        if before is not None and _same(before, path):
            try:
                os.link(before, destination)
                linked += 1
                continue
            except OSError:  # another file system, or links not allowed: copy
                pass
        shutil.copy2(path, destination)
    return count, linked


def _same(a: Path, b: Path) -> bool:
    try:
        first, second = a.stat(), b.stat()
    except OSError:
        return False
    return first.st_size == second.st_size and int(first.st_mtime) == int(second.st_mtime)


def _prune(folder: Path, keep: int) -> Iterator[Path]:
    backups = backups_in(folder)
    for old in backups[: max(0, len(backups) - keep)]:
        old.unlink()
        shutil.rmtree(letters_copy_of(old), ignore_errors=True)
        yield old


def restore(backup: Path, target: Path) -> int:
    """Copy a verified backup to ``target``, a path where no store is: never over a live one.
    Returns the number of cases restored."""
    cases = verify(backup)
    for path in (target, target.with_name(target.name + "-wal")):
        if path.exists():
            raise StoreError(tr("backup.target_exists", path=path))
    if not target.parent.is_dir():
        raise StoreError(tr("store.no_folder", path=target, folder=target.parent))
    part = target.with_name(target.name + ".part")
    try:
        with (
            closing(connect(backup, read_only=True)) as source,
            closing(sqlite3.connect(part)) as destination,
        ):
            source.backup(destination)
        verify(part)
        part.rename(target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return cases
