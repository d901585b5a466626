"""An SFTP replica, for real: Litestream ships the store and the program sends the output
folder's files to a real `sshd` on 127.0.0.1 with the service account's key, the standby's
host key checked; the disk lost, both come back from the standby.

Run as root (CI is): the sshd is the test's own, on a free port, with throwaway keys, and lets
only this account in, by key, for SFTP."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from plaintes_tui.errors import UserError
from plaintes_tui.replication import replica_of, restore_from_replica
from plaintes_tui.settings import load_settings
from tests.sshd import keygen, sshd
from tests.test_replication import ODD, lost_and_restored

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not Path("/usr/sbin/sshd").exists() or not shutil.which("sftp"),
    reason="needs root and openssh-server (make test installs it as root)",
)


@pytest.fixture
def standby(isolated: Path) -> Iterator[tuple[int, Path, str]]:
    """A real sshd on 127.0.0.1 for SFTP only, this account in by key; yields its port, the
    account's private key and the standby's public host key."""
    folder = isolated / "ssh"
    folder.mkdir()
    keygen(folder / "client")
    sftp_only = "PermitRootLogin prohibit-password\nSubsystem sftp internal-sftp\n"
    with sshd(folder, folder / "client.pub", "root", sftp_only) as port:
        yield port, folder / "client", (folder / "host.pub").read_text(encoding="utf-8").strip()


def settings_file(folder: Path, port: int, key: Path, host_key: str) -> Path:
    path = folder / "plaintes.toml"
    path.write_text(
        'store = "plaintes.db"\noutput = "output"\n[replication]\n'
        f'replica = "sftp://root@127.0.0.1:{port}{folder / "standby"}"\n'
        f'key_file = "{key}"\nhost_key = "{host_key}"\nsync_seconds = 1\n',
        encoding="utf-8",
    )
    return path


def test_the_store_and_its_letters_come_back_from_an_sftp_standby(
    isolated: Path, standby: tuple[int, Path, str]
) -> None:
    there = isolated / "standby"

    def arrived() -> bool:
        ltx = there / "store" / "ltx" / "0"
        return (there / "files" / "scans" / ODD).is_file() and ltx.is_dir() and any(ltx.iterdir())

    lost_and_restored(settings_file(isolated, *standby), arrived, "on the standby")
    assert not list((there / "files").rglob("*.part"))
    # on the standby itself, the replica is a folder: restored from it as one
    local = isolated / "on-the-standby"
    local.mkdir()
    (local / "plaintes.toml").write_text(
        f'store = "plaintes.db"\n[replication]\nreplica = "{there}"\n', encoding="utf-8"
    )
    done = restore_from_replica(load_settings(local / "plaintes.toml"), local / "taken.db")
    assert done.verification.ok and done.cases == 3 and done.file_count == 2


def test_a_standby_showing_another_host_key_gets_nothing(
    isolated: Path, standby: tuple[int, Path, str]
) -> None:
    port, key, _ = standby
    keygen(isolated / "impostor")
    impostor = (isolated / "impostor.pub").read_text(encoding="utf-8").strip()
    settings = load_settings(settings_file(isolated, port, key, impostor))
    sftp = replica_of(settings).sftp
    assert sftp is not None
    (settings.output / "P-2026-00001").mkdir(parents=True)
    (settings.output / "P-2026-00001" / "accuse-fr.pdf").write_bytes(b"%PDF-1.4 letter")
    listed = isolated / "mirrored"
    with pytest.raises(OSError, match=r"(?i)host key verification failed"):
        sftp.mirror(settings.output, listed)
    assert not (isolated / "standby").exists()
    assert not listed.exists()  # nothing counted as sent: sent at the next look


def test_an_sftp_replica_without_the_standby_key_is_refused(isolated: Path) -> None:
    key = isolated / "client"
    keygen(key)
    settings = load_settings(settings_file(isolated, 22, key, ""))
    with pytest.raises(UserError, match="host_key"):
        replica_of(settings)
    key.chmod(0o644)
    settings = load_settings(settings_file(isolated, 22, key, "ssh-ed25519 AAAA"))
    with pytest.raises(UserError, match="chmod 600"):
        replica_of(settings)
