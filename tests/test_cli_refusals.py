"""Whatever the command line asks, the answer is one sentence and a non-zero exit — never a
traceback, never a hang, and the store's bytes stay as they were."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from plaintes_tui.cli import main
from plaintes_tui.store.database import APPLICATION_ID
from plaintes_tui.store.schema import SCHEMA_VERSION
from tests.factories import add_case, new_store


@pytest.fixture
def db(isolated: Path) -> Path:
    store = new_store(isolated)
    add_case(store, date(2026, 11, 10))
    store.close()
    return isolated / "plaintes.db"


def every_day_closed(folder: Path) -> str:
    days = [f"{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 32)]
    valid = []
    for day in days:
        try:
            date(2000, int(day[:2]), int(day[3:]))
        except ValueError:
            continue
        valid.append(f'"{day}"')
    path = folder / "closed.toml"
    path.write_text(f"[deadlines]\nclosure_days = [{', '.join(valid)}]\n", encoding="utf-8")
    return str(path)


def nested_settings(folder: Path) -> str:
    path = folder / "deep.toml"
    path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    return str(path)


def overrides_with(folder: Path, name: str, content: bytes) -> str:
    overrides = folder / "overrides"
    overrides.mkdir()
    (overrides / name).write_bytes(content)
    settings = folder / "with-overrides.toml"
    settings.write_text('overrides = "overrides"\nstore = "plaintes.db"\n', encoding="utf-8")
    return str(settings)


def long_checklist() -> bytes:
    steps = "".join(
        f'[steps.s{n}]\nfr = "Question {n} ?"\nchoices = [{{ fr = "oui", next = "s{n + 1}" }}]\n'
        for n in range(3000)
    )
    return f'start = "s0"\n{steps}'.encode()


CASES: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    "deadlines at the calendar's end": (lambda f: ["deadlines", "9999-12-31"], "trop lointaine"),
    "deadlines near the end": (lambda f: ["deadlines", "9998-12-28"], "trop lointaine"),
    "every day a closure day": (
        lambda f: ["--config", every_day_closed(f), "deadlines", "2026-11-10"],
        "aucun jour ouvrable",
    ),
    "demo in the year 9999": (
        lambda f: ["demo", "--today", "9999-12-31", "--cases", "3"],
        "attendu une date des années 1000 à 9998",
    ),
    "demo in the year 1": (
        lambda f: ["demo", "--today", "0001-01-01", "--cases", "3"],
        "attendu une date des années 1000 à 9998",
    ),
    "demo in the year 1200": (
        lambda f: ["demo", "--today", "1200-01-01", "--cases", "3"],
        "la démonstration couvre",
    ),
    "report from the year 1": (
        lambda f: ["report", "--from", "0001-01-01", "--to", "0001-12-31"],
        "attendu une date des années 1000 à 9998",
    ),
    "report to the year 9999": (
        lambda f: ["report", "--from", "9999-01-01", "--to", "9999-12-31"],
        "attendu une date des années 1000 à 9998",
    ),
    "retention in the year 1": (
        lambda f: ["retention", "--dry-run", "--today", "0001-01-01"],
        "attendu une date des années 1000 à 9998",
    ),
    "person export of a huge number": (
        lambda f: ["person", "export", "#99999999999999999999999", "--reason", "x"],
        "Aucune personne ne correspond",
    ),
    "person export into a file": (
        lambda f: ["person", "export", "#1", "--reason", "x", "--out", str(f / "plaintes.db")],
        "est un fichier",
    ),
    "demo of a huge count": (
        lambda f: ["demo", "--cases", "999999999999999999999"],
        "attendu un nombre entier de 1 à 10 000 000",
    ),
    "queue limit past 64 bits": (
        lambda f: ["queue", "--limit", "9223372036854775808"],
        "attendu un nombre entier",
    ),
    "report year -1": (lambda f: ["report", "--year", "-1"], "de 1000 à 9998"),
    "report year 10000": (lambda f: ["report", "--year", "10000"], "de 1000 à 9998"),
    "report year 26": (lambda f: ["report", "--year", "26"], "de 1000 à 9998"),
    "export to a missing folder": (
        lambda f: ["export", "--output", str(f / "missing" / "x.csv")],
        "n'existe pas",
    ),
    "export to a folder": (lambda f: ["export", "--output", str(f)], "est un dossier"),
    "export to a full disk": (
        lambda f: ["export", "--format", "csv", "--output", "/dev/full"],
        "impossible d'écrire",
    ),
    "settings nested 5000 deep": (
        lambda f: ["--config", nested_settings(f), "queue"],
        "imbriqué trop profondément",
    ),
    "a checklist not in UTF-8": (
        lambda f: ["--config", overrides_with(f, "checklist.toml", "é".encode("latin-1"))],
        "pas en UTF-8",
    ),
    "a checklist of 3000 steps": (
        lambda f: ["--config", overrides_with(f, "checklist.toml", long_checklist())],
        "plus de 200 étapes",
    ),
    "a store in a folder that does not exist": (
        lambda f: ["--db", str(f / "nowhere" / "p.db"), "queue"],
        "n'existe pas",
    ),
    "a store that does not exist": (
        lambda f: ["--db", str(f / "other.db"), "queue"],
        "plaintes init",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_command_line_gets_one_sentence(
    name: str, db: Path, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, expected = CASES[name]
    before = db.read_bytes()
    code = main(["--db", str(db), *argv(isolated)])
    err = capsys.readouterr().err
    assert code != 0
    assert expected in err, err
    assert "Traceback" not in err
    assert len([line for line in err.splitlines() if line.startswith("plaintes :")]) == 1
    assert db.read_bytes() == before
    assert not (isolated / "nowhere").exists()
    assert not (isolated / "other.db").exists()


def foreign_file(folder: Path) -> Path:
    path = folder / "other-app.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY, title TEXT)")
        connection.execute("INSERT INTO cases (title) VALUES ('not ours')")
    return path


def newer_store(folder: Path) -> Path:
    path = folder / "newer.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY)")
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # this program's
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [(foreign_file, "autre application"), (newer_store, "version plus récente")],
)
@pytest.mark.parametrize("command", [["queue"], ["demo", "--cases", "3"], ["init"]])
def test_a_file_that_is_not_our_store_is_left_untouched(
    make: object,
    expected: str,
    command: list[str],
    isolated: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = make(isolated)  # type: ignore[operator]
    before = path.read_bytes()
    code = main(["--db", str(path), *command])
    err = capsys.readouterr().err
    assert code != 0 and expected in err and "Traceback" not in err
    assert path.read_bytes() == before  # no tables added, not switched to WAL
    assert not Path(f"{path}-wal").exists()
