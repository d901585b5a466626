"""One mistaken command destroys nothing: output paths, dates past today, files left whole."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from plaintes_tui.cli import main
from plaintes_tui.commands.base import write_whole
from plaintes_tui.errors import UserError
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.verify import verify_store
from tests.factories import add_case, new_store

HEADER = b"SQLite format 3\x00"


@pytest.fixture
def store(isolated: Path) -> Store:
    store = new_store(isolated)
    add_case(store, date(2026, 11, 20))
    return store


@pytest.mark.parametrize(
    "command",
    [
        ["queue", "--format", "csv", "--output", "{store}"],
        ["queue", "--format", "pdf", "--output", "{store}-wal"],
        ["export", "--format", "csv", "--output", "{store}"],
        ["export", "--output", "{store}-shm"],
    ],
    ids=["queue-csv", "queue-pdf-wal", "export-csv", "export-shm"],
)
def test_an_output_that_is_the_store_is_refused_and_the_store_kept(
    store: Store, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    words = [word.format(store=store.path) for word in command]
    assert main(["--db", str(store.path), *words]) == 2
    assert "est la base des plaintes" in capsys.readouterr().err
    assert store.path.read_bytes().startswith(HEADER)
    assert verify_store(store).ok


def test_an_output_among_the_programs_own_files_or_a_folder_is_refused(
    store: Store, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letters = isolated / "data" / "output" / "P-2026-00001"
    letters.mkdir(parents=True)
    db = ["--db", str(store.path)]
    assert main([*db, "queue", "--format", "csv", "--output", str(letters / "x.pdf")]) == 2
    assert "que le programme tient lui-même" in capsys.readouterr().err
    assert main([*db, "export", "--output", str(isolated)]) == 2
    assert "est un dossier" in capsys.readouterr().err
    assert main([*db, "export", "--output", str(isolated / "nowhere" / "x.csv")]) == 2
    assert "n'existe pas" in capsys.readouterr().err
    assert main([*db, "export", "--format", "csv", "--output", str(isolated / "ok.csv")]) == 0
    assert (isolated / "ok.csv").read_text(encoding="utf-8").startswith("reference,")
    assert not list(isolated.glob(".ok.csv.*"))  # no part file left


def test_a_failed_write_leaves_neither_a_half_file_nor_a_part(isolated: Path) -> None:
    target = isolated / "list.csv"
    target.write_text("yesterday's list\n", encoding="utf-8")

    def fail(part: Path) -> None:
        part.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(UserError, match="No space left on device"):
        write_whole(target, fail)
    assert target.read_text(encoding="utf-8") == "yesterday's list\n"
    assert [p.name for p in isolated.iterdir()] == ["list.csv"]


def test_retention_applied_with_a_day_past_today_is_refused(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(store.path)]
    assert main([*db, "retention", "--apply", "--today", "9998-12-31"]) == 2
    assert "irréversible" in capsys.readouterr().err
    assert main([*db, "retention", "--dry-run", "--today", "9998-12-31"]) == 0
    capsys.readouterr()
    assert main([*db, "queue", "--today", ""]) == 2  # an empty date is no date, not today
    assert "n'est pas une date valide" in capsys.readouterr().err


def test_a_device_is_written_as_it_is_never_replaced(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    import stat

    db = ["--db", str(store.path)]
    assert main([*db, "export", "--format", "csv", "--output", "/dev/full"]) == 2
    assert "impossible d'écrire" in capsys.readouterr().err
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)
    assert main([*db, "queue", "--format", "csv", "--output", "/dev/null"]) == 0
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


def test_an_empty_file_is_not_a_store_and_is_left_as_it_is(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = isolated / "empty.db"
    empty.touch()
    for command in (["init"], ["queue"], ["demo", "--cases", "3"]):
        assert main(["--db", str(empty), *command]) == 2, command
        assert "est vide" in capsys.readouterr().err
    assert empty.stat().st_size == 0
    assert sorted(p.name for p in isolated.iterdir()) == ["empty.db"]  # nothing beside it


def test_another_programs_sqlite_file_is_refused_whatever_its_version(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """user_version 3 and a table of its own: not migrated, not copied aside, not restored."""
    import sqlite3

    other = isolated / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        connection.execute("PRAGMA user_version = 3")
    before = other.read_bytes()
    assert main(["--db", str(other), "queue"]) == 2
    assert "d'une autre application" in capsys.readouterr().err
    assert main(["restore", str(other), str(isolated / "restored.db")]) == 2
    assert "n'est pas une sauvegarde" in capsys.readouterr().err
    assert other.read_bytes() == before
    assert sorted(p.name for p in isolated.iterdir()) == ["other.db"]


def test_a_store_left_with_a_hot_journal_is_rolled_back_and_opens(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bulk load killed halfway leaves a rollback journal that a read-only look cannot undo:
    the store is rolled back by a read-write open, and every command works again."""
    import os
    import signal
    import subprocess
    import sys

    store = new_store(isolated)
    add_case(store, date(2026, 11, 20))
    store.close()
    writer = (
        "import sqlite3, sys, os, signal\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA journal_mode = DELETE')\n"
        "c.execute('BEGIN IMMEDIATE')\n"
        "c.execute(\"UPDATE cases SET subject = 'half-written'\")\n"
        "c.execute('PRAGMA cache_size = 1')\n"  # the change reaches the file before the kill
        "c.execute(\"INSERT INTO housekeeping VALUES ('x', zeroblob(4000000))\")\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", writer, str(store.path)], check=False)
    assert done.returncode == -signal.SIGKILL
    assert store.path.with_name("plaintes.db-journal").exists()
    assert main(["--db", str(store.path), "queue", "--format", "json"]) == 0
    assert "écriture interrompue" in capsys.readouterr().err
    reopened = open_store(store.path)
    assert reopened.connection.execute("SELECT subject FROM cases").fetchone()[0] != "half-written"
    assert verify_store(reopened).ok
    assert not os.path.exists(store.path.with_name("plaintes.db-journal"))


def test_an_attachment_never_takes_the_kept_messages_name_and_nested_ones_are_whole() -> None:
    from email.message import EmailMessage

    from plaintes_tui.domain.mail import ORIGINAL, parse_mail

    message = EmailMessage()
    message["From"] = "Hélène Dubois <helene@example.be>"
    message["Subject"] = "Pièces"
    message["Message-ID"] = "<nested@example.be>"
    message.set_content("Voir les pièces jointes.")
    message.add_attachment(b"not the original", maintype="application", subtype="octet-stream",
                           filename=ORIGINAL)  # fmt: skip
    inner = EmailMessage()
    inner.set_content("texte du transfert")
    inner.add_attachment(b"%PDF-1.4 nested", maintype="application", subtype="pdf",
                         filename="decision.pdf")  # fmt: skip
    message.attach(inner)  # a multipart inside the multipart, as mail clients forward
    from datetime import datetime
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Europe/Brussels")
    now = datetime(2026, 11, 28, 10, 0, tzinfo=zone)
    parsed = parse_mail(message.as_bytes(), zone=zone, now=now, max_bytes=1_000_000)
    names = {a.name: a.data for a in parsed.attachments}
    assert ORIGINAL not in names and names["message-2.eml"] == b"not the original"
    assert names["decision.pdf"] == b"%PDF-1.4 nested"


def test_a_pipe_where_a_file_is_expected_is_refused_not_waited_for(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    from plaintes_tui.domain.admissibility import ChecklistError, load_checklist, load_reference

    for name in ("plaintes.toml", "checklist.toml", "reference.toml"):
        os.mkfifo(isolated / name)
    assert main(["--config", str(isolated / "plaintes.toml"), "queue"]) == 2
    assert "n'est pas un fichier ordinaire" in capsys.readouterr().err
    for load in (load_checklist, load_reference):
        with pytest.raises(ChecklistError, match="n'est pas un fichier ordinaire"):
            load(isolated)


def test_a_stored_address_that_is_two_addresses_refuses_the_letter(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    case = add_case(store, date(2026, 11, 20))
    store.connection.execute("UPDATE complainants SET email = 'a@b.be, c@d.be'")  # old data
    assert main(["--db", str(store.path), "letter", case["reference"], "acknowledgement"]) == 2
    assert "n'est pas une adresse unique valable" in capsys.readouterr().err


def test_demo_loads_started_at_once_wait_for_each_other(isolated: Path) -> None:
    import subprocess
    import sys

    db = isolated / "demo.db"
    command = [sys.executable, "-m", "plaintes_tui", "--db", str(db), "demo", "--cases", "300"]
    loads = [
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    errors = [load.communicate(timeout=120)[1] for load in loads]
    assert [load.returncode for load in loads] == [0, 0, 0, 0], errors
    reopened = open_store(db)
    assert reopened.connection.execute("SELECT count(*) FROM cases").fetchone() == (1200,)
    assert verify_store(reopened).ok


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("chattr"), reason="chattr +i needs root")
def test_an_immutable_shm_file_is_named_with_its_fix_not_a_crash(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    shm = store.path.with_name("plaintes.db-shm")
    store.close()
    shm.touch()
    subprocess.run(["chattr", "+i", str(shm)], check=True)
    try:
        assert main(["--db", str(store.path), "queue"]) == 2
        assert f"chattr -i {shm}" in capsys.readouterr().err
    finally:
        subprocess.run(["chattr", "-i", str(shm)], check=True)


def test_a_killed_loads_work_folder_is_swept_by_the_next_load(isolated: Path) -> None:
    left = isolated / "plaintes-demo-abc123"
    left.mkdir()
    (left / "cases-0.db").write_bytes(b"\0" * 4096)
    assert main(["--db", str(isolated / "demo.db"), "demo", "--cases", "20"]) == 0
    assert not left.exists()
