"""A real OpenSSH server of a test's own on 127.0.0.1 (run as root): a free port, the test's
host key and authorised keys, no PAM, no password, nothing of the machine's configuration."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WAIT = 60


def keygen(path: Path) -> None:
    """A throwaway ed25519 key pair at ``path`` and ``path.pub``."""
    done = subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)],
        capture_output=True,
        timeout=WAIT,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@contextmanager
def sshd(folder: Path, authorized: Path, allowed: str, more: str = "") -> Iterator[int]:
    """sshd letting ``allowed`` in with the keys of ``authorized``, its host key
    ``folder/host``; yields its port once it listens, stops it afterwards."""
    keygen(folder / "host")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    config = folder / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder / 'host'}\n"
        f"AuthorizedKeysFile {authorized}\nPasswordAuthentication no\n"
        f"KbdInteractiveAuthentication no\nUsePAM no\nPidFile {folder / 'sshd.pid'}\n"
        f"AllowUsers {allowed}\nStrictModes no\n{more}",
        encoding="utf-8",
    )
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    process = subprocess.Popen(
        ["/usr/sbin/sshd", "-D", "-e", "-f", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + WAIT
        while True:
            if process.poll() is not None:
                assert process.stderr is not None
                raise AssertionError(f"sshd ended: {process.stderr.read().decode()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, f"sshd not listening after {WAIT} s"
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=WAIT)
