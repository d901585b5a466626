"""Who consulted whose data: case files opened, a person's record, exports, NISS searches —
listed per person for coordinators, in the person's own export, kept for a set time."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from plaintes_tui.cli import main
from plaintes_tui.domain.access import Actor, Role
from plaintes_tui.settings import Settings
from plaintes_tui.store.access_log import Access, accesses_of, niss_in, record
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.retention import apply
from plaintes_tui.tui.app import PlaintesApp
from tests.factories import add_case, as_account, person
from tests.pilot import open_case, settle

NISS = "85073003328"
SETTINGS = """
[agents.directory]
marie = { name = "Marie Leroy", role = "coordinator" }
paul = { name = "Paul Henry" }
"""


@pytest.fixture
def store(isolated: Path) -> Store:
    (isolated / "data").mkdir()
    (isolated / "data" / "plaintes.toml").write_text(SETTINGS, encoding="utf-8")
    store = open_store(isolated / "data" / "plaintes.db", create=True)
    add_case(store, date(2026, 11, 20), complainant=person(niss=NISS, last_name="Wouters"))
    add_case(store, date(2026, 11, 21), complainant=person(last_name="Peeters", email=None))
    return store


def test_a_niss_is_recognised_as_typed() -> None:
    assert niss_in("85.07.30-033.28") == NISS
    assert niss_in(" 85073003328 ") == NISS
    assert niss_in("Wouters") is None and niss_in("P-2026-00001") is None


async def test_opening_a_case_file_is_logged_once_with_who(store: Store) -> None:
    app = PlaintesApp(Settings(), agent="paul", store=store, today=date(2026, 11, 28))
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_case(pilot)
        screen.refresh_case()  # a colleague's save read again: not a new consultation
        await settle(pilot)
        opened = screen.current
    seen = accesses_of(store, opened.complainant.id)
    assert [(s.login, s.what, s.reference) for s in seen] == [
        ("paul", Access.CASE, opened.reference)
    ]


def test_a_niss_search_is_logged_and_listed_for_coordinators_only(
    store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    as_account(monkeypatch, "paul")
    assert main(["queue", "--search", "85.07.30-033.28"]) == 0
    assert main(["queue", "--search", "Peeters"]) == 0  # not a NISS: not a consultation
    capsys.readouterr()
    assert main(["person", "accesses", "Wouters"]) == 2
    assert "ne peut pas lancer « person »" in capsys.readouterr().err
    as_account(monkeypatch, "marie")
    assert main(["person", "accesses", NISS]) == 0
    out = capsys.readouterr().out
    assert "Consultations des données de Wouters Hélène (#1) : 1" in out
    assert "paul  recherche par NISS" in out
    assert main(["person", "accesses", "Peeters"]) == 0
    assert "Personne n'a consulté" in capsys.readouterr().out


def test_a_persons_export_says_who_consulted_their_data(
    store: Store, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(store, "paul", Access.CASE, now=datetime(2026, 11, 22, 9, 30), case_id=1)
    as_account(monkeypatch, "marie")
    assert main(["person", "export", NISS, "--reason", "courrier du 2/12"]) == 0
    (folder,) = (isolated / "data" / "output" / "exports").iterdir()
    data = json.loads((folder / "donnees.json").read_text(encoding="utf-8"))
    assert [(c["login"], c["what"], c["case"]) for c in data["consulted"]] == [
        ("paul", "case", "P-2026-00001")
    ]
    summary = (folder / "resume.md").read_text(encoding="utf-8")
    assert "## Qui a consulté vos données" in summary and "paul — dossier consulté" in summary
    kinds = [s.what for s in accesses_of(store, 1)]
    assert kinds == [Access.CASE, Access.EXPORT]  # the export itself is logged


def test_the_log_is_kept_for_its_years_and_forgets_the_niss_with_the_person(
    store: Store,
) -> None:
    record(store, "paul", Access.CASE, now=datetime(2023, 5, 2, 9, 0), case_id=2)
    record(store, "paul", Access.NISS_SEARCH, now=datetime(2026, 1, 5, 9, 0), detail=NISS)
    done = apply(
        store,
        today=date(2026, 11, 28),
        now=datetime(2026, 11, 28, 2, 45),
        years=5,
        draft_days=30,
        actor=Actor("cron", Role.SYSTEM),
        access_years=2,
    )
    assert done.accesses == 1
    rows = store.connection.execute("SELECT at, what, detail FROM access_log").fetchall()
    assert rows == [("2026-01-05T09:00:00", "niss_search", NISS)]
