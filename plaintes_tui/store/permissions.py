"""Does the store belong to the account running the program, and to it alone? Checked before
the store is opened, with the exact fix when not.

Nothing but the program may change the store: it belongs to one account (a service account on
a shared server, whom agents reach through ``sudo`` or SSH; a person's own account for a
single-user or demo store), and no other account may write it, its ``-wal`` and ``-shm``
files, its folder, or the letters' folder. On a shared server (``private``) no other account
may read them either: the store holds NISS numbers and health details. A group that is the
owner's own private group (the account's namesake with no other member, as Debian and Ubuntu
make for each user) counts as the owner.
"""

from __future__ import annotations

import grp
import os
import pwd
import shlex
import stat
from pathlib import Path

from plaintes_tui.i18n import tr
from plaintes_tui.store.writer_turn import SUFFIX as TURN_SUFFIX


def _name_of(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _private_group(gid: int, uid: int) -> bool:
    """Whether group ``gid`` is the private group of account ``uid`` (no one else in it)."""
    try:
        group = grp.getgrgid(gid)
        account = pwd.getpwuid(uid)
    except KeyError:
        return False
    return group.gr_name == account.pw_name and not set(group.gr_mem) - {account.pw_name}


def path_problem(path: Path, *, uid: int, private: bool) -> str | None:
    """What is wrong with ``path`` (a file or folder the program writes) for account ``uid``,
    with the command that fixes it; None when nothing is (or the path does not exist)."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        return tr("permissions.unreadable", path=path, error=error.strerror)
    q = shlex.quote(str(path))
    account = _name_of(uid)
    folder = stat.S_ISDIR(status.st_mode)
    if status.st_uid != uid:
        owner = _name_of(status.st_uid)
        return tr(
            "permissions.owner",
            path=path,
            owner=owner,
            account=account,
            fix=f"chown {'-R ' if folder else ''}{shlex.quote(account)}: {q}",
        )
    own_group = _private_group(status.st_gid, uid)
    writable_by_others = status.st_mode & (0o002 if own_group else 0o022)
    if writable_by_others:
        return tr("permissions.others_write", path=path, fix=f"chmod go-w {q}")
    readable_by_others = status.st_mode & (0o005 if own_group else 0o055)
    if private and readable_by_others:
        return tr("permissions.others_read", path=path, fix=f"chmod go-rwx {q}")
    if not os.access(path, os.W_OK):
        rights = "u+rwx" if folder else "u+rw"
        # The owner may write it, yet cannot: the file is immutable (or its disk read-only).
        fix = f"chattr -i {q}" if status.st_mode & 0o200 else f"chmod {rights} {q}"
        return tr("permissions.not_writable", path=path, fix=fix)
    return None


def store_problems(
    store: Path, output: Path | None = None, *, uid: int | None = None, private: bool = False
) -> list[str]:
    """What keeps the account running the program (``uid``) from owning the store alone: its
    folder, the store, its -wal, -shm and -writer files, and the letters' folder, each with the
    command that fixes it. Empty when all is well."""
    uid = os.getuid() if uid is None else uid
    paths = [
        store.parent,
        store,
        store.with_name(store.name + "-wal"),
        store.with_name(store.name + "-shm"),
        store.with_name(store.name + TURN_SUFFIX),  # whoever could lock it would slow writers
    ]
    if output is not None:
        paths.append(output)
    problems = []
    for path in paths:
        problem = path_problem(path, uid=uid, private=private)
        if problem is not None:
            problems.append(problem)
    return problems
