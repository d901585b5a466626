"""`plaintes scan import`: the scanner's folder read into the inbox — each letter once, the
one answering a case into it, a bad file into quarantine, the files moved away once stored."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from plaintes_tui.cli import main
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.mailbox import inbox, messages_of, quarantined
from plaintes_tui.store.scans import reading_of
from tests.factories import add_case, person
from tests.scan_corpus import LETTERS, draw, write
from tests.test_scanning import pytestmark as needs_tesseract

pytestmark = [needs_tesseract, pytest.mark.slow]


def test_the_scanners_folder_goes_into_the_inbox_once(
    store: Store, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answered = add_case(store, date(2026, 11, 2), complainant=person(last_name="Lambert"))
    store.close()
    scanner = isolated / "scanner"
    scanner.mkdir()
    reference = str(answered["reference"])
    answer = replace(LETTERS[0], subject=f"Concerne : votre référence {reference}")
    write(draw(answer), scanner / "lettre-1.png")  # quotes the case, signed Lambert
    write(draw(LETTERS[1]), scanner / "lettre-2.png")
    (scanner / "lettre-3.pdf").write_bytes(b"%PDF-1.7 torn in the feeder")
    (isolated / "plaintes.toml").write_text(
        f'[agents]\nunlisted = "mailroom"\n[scan]\nfolder = "{scanner}"\n', encoding="utf-8"
    )

    def scan_import(*args: str) -> int:
        return main(["--config", "plaintes.toml", "--db", "plaintes.db", "scan", "import", *args])

    assert scan_import("--dry-run") == 0
    assert "À blanc : 3 fichier(s) lu(s)" in capsys.readouterr().out
    assert sorted(p.name for p in scanner.iterdir()) == [
        "lettre-1.png",
        "lettre-2.png",
        "lettre-3.pdf",
    ]
    kept = isolated / "copies"
    shutil.copytree(scanner, kept)
    assert scan_import("--json") == 0
    said = json.loads(capsys.readouterr().out)
    counts = ("read", "new", "attached_to_cases", "duplicates", "quarantined")
    assert [said[name] for name in counts] == [3, 1, 1, 0, 1]
    items = {item["file"]: item for item in said["items"]}
    assert items["lettre-1.png"]["case"] == reference
    dutch = items["lettre-2.png"]
    assert (dutch["last_name"], dutch["postal_code"], dutch["town"]) == ("Janssens", "9000", "Gent")
    assert dutch["language"] == "nl" and dutch["confidence"]["town"] > 0.8
    assert "niss" not in dutch  # absent what was not found
    assert items["lettre-3.pdf"]["reason"].startswith("PDF illisible")
    assert not any(p.is_file() for p in scanner.iterdir())  # moved once stored
    assert sorted(p.name for p in (scanner / "traites").iterdir()) == [
        "lettre-1.png", "lettre-2.png", "lettre-3.pdf",
    ]  # fmt: skip

    store = open_store(isolated / "plaintes.db")
    [waiting] = inbox(store)
    assert waiting.sender_name == "Pieter Janssens"
    assert waiting.subject == "klacht over de behandeling van mijn dossier"
    assert "Sinds augustus wacht ik" in waiting.body
    reading = reading_of(store, waiting.id)
    assert reading is not None and reading["street"] == "Kerkstraat 45 bus 2"
    assert (Path(waiting.folder) / "lettre.pdf").read_bytes().startswith(b"%PDF")
    [attached] = messages_of(store, answered["id"])
    assert attached.sender_name == "Sophie Lambert"
    assert [q.reason for q in quarantined(store)] == ["scan.reason_bad_pdf"]
    store.close()

    for file in kept.iterdir():  # the same files scanned again
        shutil.copy(file, scanner / file.name)
    assert scan_import("--json") == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["read"], again["duplicates"], again["new"]) == (3, 3, 0)
