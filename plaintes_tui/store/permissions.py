"""Can this user write what the app writes? Checked at start, with the exact fix when not.

On a shared server every agent is an operating-system user of one group that owns the store's
folder: SQLite writes the store and creates its ``-wal`` and ``-shm`` files beside it, and the
letters go to the output folder. A file created with the wrong umask, or a folder without the
group's write right, would otherwise fail the first save of the day.
"""

from __future__ import annotations

import grp
import os
import shlex
from collections.abc import Callable
from pathlib import Path

from plaintes_tui.i18n import tr


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def _group_of(path: Path) -> str:
    try:
        return grp.getgrgid(path.stat().st_gid).gr_name
    except (KeyError, OSError):
        return "plaintes"


def write_problems(
    store: Path, output: Path, *, writable: Callable[[Path], bool] = _writable
) -> list[str]:
    """What this user cannot write among the store, its -wal and -shm files, their folder and
    the output folder — each with the command that fixes it. Empty when all is well."""
    problems = []
    folder = store.parent
    group = _group_of(folder)
    q = shlex.quote
    if folder.is_dir() and not writable(folder):
        problems.append(
            tr(
                "permissions.folder",
                path=folder,
                fix=f"chgrp {group} {q(str(folder))} && chmod 2770 {q(str(folder))}",
            )
        )
    for path in (store, store.with_name(store.name + "-wal"), store.with_name(store.name + "-shm")):
        if path.exists() and not writable(path):
            problems.append(
                tr(
                    "permissions.file",
                    path=path,
                    fix=f"chgrp {group} {q(str(path))} && chmod 660 {q(str(path))}",
                )
            )
    existing = output
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not writable(existing):
        problems.append(
            tr(
                "permissions.output",
                path=output,
                fix=f"chgrp -R {_group_of(existing)} "
                f"{q(str(existing))} && chmod -R g+rwX {q(str(existing))}",
            )
        )
    return problems
