"""The output folder's files on the standby: letters, e-mails, scans and exports never change
once written, so each new file is sent once, under ``files/`` beside the store's replica.

Each kind of replica sends and fetches them its own way (``Files``): a folder copies them; an
SFTP or S3 standby is sent what a list kept beside the store does not yet name (lost, every
file is sent again).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

FILES_FOLDER = "files"
MIRRORED_SUFFIX = ".mirrored"


class Files(Protocol):
    def mirror(self, source: Path, listed: Path) -> int:
        """Send the files of ``source`` the standby lacks; how many were sent. OSError
        saying why when the standby cannot be reached (the files wait for the next look)."""

    def fetch(self, target: Path) -> int:
        """The standby's files copied into ``target`` (made when there is one); how many."""


def files_in(folder: Path) -> Iterator[str]:
    """The files under ``folder`` as paths relative to it ("/"-separated); one being written
    (``.part``) waits for its final name."""
    for parent, _, names in os.walk(folder):
        for name in names:
            if not name.endswith(".part"):
                yield (Path(parent) / name).relative_to(folder).as_posix()


def mirrored_list(store: Path) -> Path:
    """The list of the files already on the standby, beside the store."""
    return store.with_name(store.name + MIRRORED_SUFFIX)


def unsent(source: Path, listed: Path) -> list[str]:
    """The files of ``source`` that ``listed`` does not name."""
    known = set(listed.read_text(encoding="utf-8").splitlines()) if listed.exists() else set()
    return [name for name in files_in(source) if name not in known]


def record_sent(listed: Path, names: list[str]) -> None:
    with listed.open("a", encoding="utf-8") as file:
        file.write("".join(f"{name}\n" for name in names))


def inside(target: Path, name: str) -> Path:
    """``target / name``, refused (ValueError) when ``name`` would lead out of ``target``: a
    standby's file list is not trusted to write anywhere else."""
    path = (target / name).resolve()
    if not path.is_relative_to(target.resolve()) or path == target.resolve():
        raise ValueError(f"{name!r} leads out of {target}")
    return path


def copy_new(source: Path, target: Path) -> int:
    """Copy each file of ``source`` that ``target`` lacks, under a temporary name then renamed;
    how many were copied."""
    copied = 0
    for name in files_in(source) if source.is_dir() else ():
        copy = target / name
        if copy.exists():
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        partial = copy.with_name(copy.name + ".part")
        shutil.copy2(source / name, partial)
        partial.replace(copy)
        copied += 1
    return copied


@dataclass(frozen=True)
class FolderFiles:
    """A folder replica (another disk, an NFS mount): the files copied beside the store's."""

    folder: Path

    def mirror(self, source: Path, listed: Path) -> int:
        return copy_new(source, self.folder / FILES_FOLDER)

    def fetch(self, target: Path) -> int:
        return copy_new(self.folder / FILES_FOLDER, target)
