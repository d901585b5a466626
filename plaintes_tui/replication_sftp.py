"""An SFTP replica: the standby reached with the service account's key, its host key checked.

Litestream ships the store there itself (``key-path``, ``host-key``). The output folder's files
go beside it (``replication_files.py``) by OpenSSH's own ``sftp`` client, in batch: each file
under a temporary name then renamed, so that the standby never holds half a letter.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr
from plaintes_tui.replication_files import FILES_FOLDER, files_in, record_sent, unsent
from plaintes_tui.secret_file import read_secret
from plaintes_tui.settings import Settings

TIMEOUT = 600  # seconds for one batch of files


@dataclass(frozen=True)
class Sftp:
    user: str
    host: str
    port: int
    path: PurePosixPath  # the replica's folder on the standby
    key: Path  # the service account's private key
    host_key: str  # the standby's public host key, "type base64"

    @contextmanager
    def _known_hosts(self) -> Iterator[Path]:
        """The standby's host key alone, in a file ``ssh`` reads instead of the account's."""
        name = self.host if self.port == 22 else f"[{self.host}]:{self.port}"
        handle, path = tempfile.mkstemp(prefix="plaintes-known-hosts-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(f"{name} {self.host_key}\n")
            yield Path(path)
        finally:
            Path(path).unlink(missing_ok=True)

    def batch(self, commands: list[str]) -> None:
        """Run ``commands`` in one ``sftp`` session: no configuration file of this machine,
        no password asked, the standby's key checked; OSError saying why when one fails."""
        with self._known_hosts() as known:
            command = [
                "sftp", "-F", "/dev/null", "-b", "-", "-i", str(self.key), "-P", str(self.port),
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=10",
                "-o", "StrictHostKeyChecking=yes", "-o", f"UserKnownHostsFile={known}",
                "-o", "GlobalKnownHostsFile=/dev/null", f"{self.user}@{self.host}",
            ]  # fmt: skip
            try:
                done = subprocess.run(
                    command,
                    input="\n".join(commands) + "\n",
                    capture_output=True,
                    text=True,
                    timeout=TIMEOUT,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                raise OSError(f"sftp: no answer in {TIMEOUT} s") from None
        if done.returncode != 0:
            said = [line.strip() for line in done.stderr.splitlines() if line.strip()]
            raise OSError(" ; ".join(said[-3:]) or f"sftp ended with status {done.returncode}")

    def mirror(self, source: Path, listed: Path) -> int:
        new = unsent(source, listed)
        if not new:
            return 0
        files = self.path / FILES_FOLDER
        commands, made = [], set()
        for name in new:
            remote = files / name
            for folder in reversed(remote.parents):
                if folder not in made and len(folder.parts) >= len(self.path.parts):
                    made.add(folder)
                    commands.append(f"-mkdir {_quoted(str(folder))}")
            commands.append(f"put {_quoted(str(source / name))} {_quoted(f'{remote}.part')}")
            commands.append(f"rename {_quoted(f'{remote}.part')} {_quoted(str(remote))}")
        self.batch(commands)
        record_sent(listed, new)
        return len(new)

    def fetch(self, target: Path) -> int:
        """(``sftp`` itself keeps a name from leading out of ``target``.)"""
        self.batch([f"-get -R {_quoted(str(self.path / FILES_FOLDER))} {_quoted(str(target))}"])
        return sum(1 for _ in files_in(target)) if target.is_dir() else 0


def _quoted(path: str) -> str:
    """A path as one word of an ``sftp`` batch: in double quotes (which also keep ``put`` and
    ``get`` from expanding ``*``, ``?`` and ``[``), a quote and a backslash escaped."""
    return '"' + re.sub(r'(["\\])', r"\\\1", path) + '"'


def sftp_of(settings: Settings, base: Path) -> Sftp:
    """The SFTP replica the settings name; one sentence when its key or the standby's host
    key is missing, or the key file is readable by another account."""
    chosen = settings.replication
    address = urlsplit(chosen.replica.strip())
    if chosen.key_file is None or not chosen.host_key.strip():
        raise UserError(tr("replication.sftp_needs", replica=chosen.replica))
    key = chosen.key_file if chosen.key_file.is_absolute() else base / chosen.key_file
    read_secret(key, "replication.key_file")  # this account's alone, or refused
    return Sftp(
        user=unquote(address.username or ""),
        host=address.hostname or "",
        port=address.port or 22,
        path=PurePosixPath(unquote(address.path) or "/"),
        key=key,
        host_key=" ".join(chosen.host_key.split()[:2]),
    )
