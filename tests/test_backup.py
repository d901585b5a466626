"""Backups taken while agents work, verified, pruned and restored into a new store only."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from plaintes_tui.cli import main
from plaintes_tui.store.backup import backups_in, letters_copy_of, restore, take_backup, verify
from plaintes_tui.store.database import Store, StoreError, open_store
from tests.factories import add_case

# Another agent's process: it logs cases until told to stop, saying when the first one is in.
WRITER = """
import sys
from datetime import date
from pathlib import Path
from tests.factories import add_case
from plaintes_tui.store.database import open_store

store = open_store(Path(sys.argv[1]))
stop = Path(sys.argv[2])
for count in range(1, 5001):
    add_case(store, date(2026, 11, 20))
    if count == 1:
        print("started", flush=True)
    if stop.exists():
        break
print(count, flush=True)
"""

AT = datetime(2026, 11, 29, 2, 0)


def test_a_backup_taken_while_another_process_writes_is_sound_and_restores(
    isolated: Path, store: Store
) -> None:
    stop = isolated / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(store.path), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "started"
        made = [
            take_backup(
                store,
                isolated / "backups",
                letters=None,
                keep=2,
                now=AT + timedelta(seconds=n),
            )
            for n in range(3)
        ]
    finally:
        stop.touch()
        written = int(writer.communicate(timeout=120)[0].split()[-1])
    assert writer.returncode == 0
    assert [b.path for b in made[1:]] == backups_in(isolated / "backups")  # two kept
    assert made[2].removed == (made[0].path,) and not made[0].path.exists()
    counts = [verify(b.path) for b in made[1:]]
    assert 1 <= counts[0] <= counts[1] <= written
    restored = isolated / "restored.db"
    assert restore(made[2].path, restored) == counts[1]
    with open_store(restored) as again:
        assert again.connection.execute("SELECT count(*) FROM cases").fetchone() == (counts[1],)
        assert again.connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_restore_never_writes_over_a_store_and_refuses_a_damaged_backup(
    isolated: Path, store: Store
) -> None:
    add_case(store, date(2026, 11, 20))
    made = take_backup(store, isolated / "backups", letters=None, keep=5, now=AT)
    again = take_backup(store, isolated / "backups", letters=None, keep=5, now=AT)
    assert again.path.name == "plaintes-20261129-020001.db"  # the same second: the next one
    with pytest.raises(StoreError, match="ne remplace jamais une base existante"):
        restore(made.path, store.path)
    damaged = isolated / "damaged.db"
    data = bytearray(made.path.read_bytes())
    data[4096 : 4096 + 512] = b"\xff" * 512  # a page of the cases table torn
    damaged.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="endommagée"):
        restore(damaged, isolated / "new.db")
    assert not (isolated / "new.db").exists()


def test_the_letters_are_copied_beside_and_unchanged_files_linked_not_copied_again(
    isolated: Path, store: Store
) -> None:
    letters = isolated / "output" / "P-2026-00001"
    letters.mkdir(parents=True)
    (letters / "accuse.pdf").write_bytes(b"%PDF-1.4 one")
    first = take_backup(store, isolated / "backups", letters=isolated / "output", keep=5, now=AT)
    (letters / "reponse.pdf").write_bytes(b"%PDF-1.4 two")
    second = take_backup(
        store, isolated / "backups", letters=isolated / "output", keep=5, now=AT.replace(hour=3)
    )
    assert (first.letter_files, first.linked) == (1, 0)
    assert (second.letter_files, second.linked) == (2, 1)
    copy = letters_copy_of(second.path) / "P-2026-00001"
    assert (copy / "reponse.pdf").read_bytes() == b"%PDF-1.4 two"
    assert (copy / "accuse.pdf").stat().st_nlink == 2


def test_the_commands_back_up_and_restore_with_one_sentence_each(
    isolated: Path, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    add_case(store, date(2026, 11, 20))
    store.close()
    db = str(isolated / "plaintes.db")
    assert main(["--db", db, "backup", str(isolated / "copies"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["cases"] == 1 and Path(result["path"]).is_file()
    assert main(["--db", db, "restore", result["path"], db]) == 2
    assert "ne remplace jamais" in capsys.readouterr().err
    assert main(["restore", result["path"], str(isolated / "restored.db")]) == 0
    assert "vérifiée et restaurée" in capsys.readouterr().out
