"""A full disk: the store, the letters and the backups on a small filesystem that fills up.
Each refusal is one sentence, and nothing is left half-written.

Run as root (CI is): the test mounts a tmpfs of its own, and unmounts it afterwards.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from plaintes_tui.cli import main
from plaintes_tui.store.database import Store, StoreError, open_store
from plaintes_tui.store.verify import verify_store
from tests.factories import add_case, new_store

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small filesystem needs root")


def fill(folder: Path) -> Path:
    """A file that takes every free byte of ``folder``'s filesystem."""
    filler = folder / "filler"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(handle, b"\0" * size)
            except OSError as error:
                assert error.errno == errno.ENOSPC
    finally:
        os.close(handle)
    return filler


@pytest.fixture
def small(isolated: Path) -> Iterator[Path]:
    folder = isolated / "small"
    folder.mkdir(mode=0o700)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.fail(f"could not mount a tmpfs: {mounted.stderr}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def store(small: Path) -> Store:
    store = new_store(small)
    for day in range(1, 6):
        add_case(store, date(2026, 11, day))
    store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return store


def test_a_save_on_a_full_disk_is_refused_and_the_store_stays_whole(
    store: Store, small: Path
) -> None:
    filler = fill(small)
    with pytest.raises(StoreError, match="disque"):
        for day in range(6, 40):  # until a page more is needed
            add_case(store, date(2026, 11, min(day, 28)), description="x" * 2000)
    filler.unlink()
    assert verify_store(open_store(store.path)).ok


def test_a_letter_on_a_full_disk_is_one_sentence_and_leaves_no_file(
    store: Store, small: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(small)
    code = main(["--db", str(store.path), "letter", "P-2026-00001", "acknowledgement"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and err.count("plaintes :") == 1, err
    assert not list(small.rglob("*.pdf")) and not list(small.rglob("*.part"))
    assert "letter" not in [
        action for (action,) in store.connection.execute("SELECT action FROM journal")
    ]


def test_a_backup_onto_a_full_disk_is_one_sentence_and_leaves_no_copy(
    isolated: Path, small: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = new_store(isolated)
    for day in range(1, 30):
        add_case(store, date(2026, 11, day), description="y" * 3000)
    fill(small)
    code = main(["--db", str(store.path), "backup", str(small / "backups")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and err.count("plaintes :") == 1, err
    assert not list(small.rglob("plaintes-*.db"))


def test_a_mail_import_on_a_full_disk_says_so_and_takes_nothing_half(
    store: Store, small: Path, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.mail_samples import plain

    message = isolated / "one.eml"
    message.write_bytes(plain())
    fill(small)
    code = main(["--db", str(store.path), "mail", "import", str(message)])
    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err, err
    assert store.connection.execute("SELECT count(*) FROM mail_messages").fetchone() == (0,)
    assert not list(small.rglob("*.part")) and message.read_bytes() == plain()
