"""The complainant's record from the case file: correcting it, merging a duplicate, exporting
the person's file (coordinators), and an anonymised case."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from plaintes_tui.domain.access import Actor, Role
from plaintes_tui.settings import Settings
from plaintes_tui.store.cases import get_case, journal_of
from plaintes_tui.store.database import Store
from plaintes_tui.store.rectify import rectify
from plaintes_tui.store.retention import apply
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.dialogs.form import FormDialog
from plaintes_tui.tui.screens.case import CaseScreen
from tests.factories import NOW, TODAY, add_case, person
from tests.pilot import open_case, settle
from tests.screen_text import rendered
from tests.test_personal_data import close


def app_for(store: Store, actor: Actor, output: Path | None = None) -> PlaintesApp:
    settings = Settings(output=output) if output else Settings()
    return PlaintesApp(settings, agent=actor, store=store, today=TODAY)


def complainant(app: PlaintesApp) -> str:
    return " ".join(rendered(app.screen.query_one("#case-complainant")).split())


def set_field(app: PlaintesApp, name: str, value: str) -> None:
    app.screen.query_one(f"#form-{name}", Input).value = value


async def test_a_correction_is_checked_saved_and_journaled(store: Store) -> None:
    case = add_case(store, date(2026, 11, 20))
    app = app_for(store, Actor("alice"))
    async with app.run_test(size=(120, 50)) as pilot:
        await open_case(pilot)
        assert complainant(app).endswith("i corriger la fiche")  # no merge, no export
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert app.screen.query_one("#form-phone", Input).value == "0477 84 86 64"
        set_field(app, "niss", "85.07.30-033.29")  # a wrong check digit
        set_field(app, "phone", "0470 12 34 56")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)  # refused, nothing lost
        error = rendered(app.screen.query_one("#form-error-niss"))
        assert "NISS" in error
        assert app.screen.focused is not None and app.screen.focused.id == "form-niss"
        set_field(app, "niss", "85.07.30-033.28")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert "0470 12 34 56" in complainant(app) and "85.07.30-033.28" in complainant(app)
    entry = journal_of(store, case["id"])[-1]
    assert entry.action == "complainant_corrected" and entry.agent == "alice"
    assert entry.changes["phone"] == ["+32477848664", "+32470123456"]


async def test_a_correction_over_a_colleagues_gives_the_typed_values_back(store: Store) -> None:
    case = add_case(store, date(2026, 11, 20))
    app = app_for(store, Actor("alice"))
    async with app.run_test(size=(120, 50)) as pilot:
        await open_case(pilot)
        await pilot.press("i")
        await pilot.pause()
        rectify(  # a colleague, meanwhile
            store,
            case["complainant_id"],
            {"email": "helene.dubois@example.be"},
            {"email": "hd@example.be"},
            actor=Actor("bob"),
            now=NOW,
        )
        set_field(app, "town", "Liège [red]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)  # given back
        assert app.screen.query_one("#form-town", Input).value == "Liège [red]"
        assert any("entre-temps" in n.message for n in app._notifications)
    assert get_case(store, case["id"])["complainant_town"] is None


async def test_a_supervisor_merges_a_duplicate_an_agent_may_not(store: Store) -> None:
    kept = add_case(store, date(2026, 11, 20))
    add_case(store, date(2026, 11, 2), complainant=person(phone="+32470999999"))
    app = app_for(store, Actor("alice"))
    async with app.run_test(size=(120, 50)) as pilot:
        await open_case(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert not isinstance(app.screen, FormDialog)
        assert any("superviseurs" in n.message for n in app._notifications)
    app = app_for(store, Actor("dpeeters", Role.SUPERVISOR))
    async with app.run_test(size=(120, 50)) as pilot:
        await merge_dialog(pilot)
        await pilot.press("down", "space", "ctrl+s")
        await settle(pilot)
        # Both records shown side by side; nothing merged before the answer.
        from plaintes_tui.tui.dialogs.confirm import ConfirmDialog

        assert isinstance(app.screen, ConfirmDialog)
        question = app.screen.question
        assert "Cette fiche (#2, 1 dossier(s))" in question
        assert "Fiche à fusionner (#1, 1 dossier(s))" in question
        assert "0470 99 99 99" in question and "0477 84 86 64" in question
        assert store.connection.execute("SELECT count(*) FROM complainants").fetchone() == (2,)
        await pilot.press("o")
        await settle(pilot)
        assert "P-2026-00001" in complainant(app)  # the other record's case, now hers too
    count = store.connection.execute("SELECT count(*) FROM complainants").fetchone()[0]
    assert count == 1 and journal_of(store, kept["id"])[-1].action == "complainants_merged"


async def test_a_merge_among_many_namesakes_says_how_many_it_lists(store: Store) -> None:
    add_case(store, date(2026, 11, 20))
    for _ in range(11):
        add_case(store, date(2026, 11, 2), complainant=person(phone=None, email=None))
    app = app_for(store, Actor("dpeeters", Role.SUPERVISOR))
    async with app.run_test(size=(120, 50)) as pilot:
        dialog = await merge_dialog(pilot)
        assert "— 10 fiches sur 11, les plus sûres d'abord" in dialog.form_title


async def merge_dialog(pilot: Pilot[None]) -> FormDialog:
    """The first case's record offered a merge (f)."""
    await open_case(pilot)
    await pilot.press("f")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FormDialog)
    return pilot.app.screen


def test_two_records_with_different_niss_are_never_merged(store: Store) -> None:
    from plaintes_tui.store.database import StoreError
    from plaintes_tui.store.rectify import merge

    koen = add_case(store, date(2026, 11, 2), complainant=person(niss="85073003328"))
    other = add_case(store, date(2026, 11, 3), complainant=person(niss="90010100123"))
    with pytest.raises(StoreError, match="deux NISS différents"):
        merge(
            store,
            koen["complainant_id"],
            other["complainant_id"],
            actor=Actor("dpeeters", Role.SUPERVISOR),
            now=datetime(2026, 11, 28, 10, 0),
        )
    assert store.connection.execute("SELECT count(*) FROM complainants").fetchone() == (2,)


async def test_a_coordinator_exports_the_persons_file_with_a_reason(
    store: Store, isolated: Path
) -> None:
    case = add_case(store, date(2026, 11, 20))
    app = app_for(store, Actor("alice"), isolated / "output")
    async with app.run_test(size=(120, 50)) as pilot:
        await open_case(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert not isinstance(app.screen, FormDialog)
    app = app_for(store, Actor("emuller", Role.COORDINATOR), isolated / "output")
    async with app.run_test(size=(120, 50)) as pilot:
        await open_case(pilot)
        assert "i corriger la fiche · f fusionner un doublon · x exporter" in complainant(app)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"courrier du 2/12", "enter")
        await settle(pilot)
        assert any("Données exportées" in n.message for n in app._notifications)
    (folder,) = (isolated / "output" / "exports").iterdir()
    assert (folder / "donnees.json").is_file() and (folder / "resume.md").is_file()
    assert journal_of(store, case["id"])[-1].note == "courrier du 2/12"


async def test_an_anonymised_case_says_so_and_offers_no_correction(store: Store) -> None:
    case = add_case(store, date(2018, 1, 8))
    close(store, case["id"], date(2018, 2, 1))
    apply(store, today=TODAY, now=NOW, years=5, draft_days=30, actor=Actor("e", Role.COORDINATOR))
    app = app_for(store, Actor("alice"))
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        app.push_screen(CaseScreen(case["id"]))
        await settle(pilot)
        assert "Dossier anonymisé le 28/11/2026" in complainant(app)
        assert "Dubois" not in complainant(app)
        await pilot.press("i")
        await pilot.pause()
        assert not isinstance(app.screen, FormDialog)
        assert any("anonymisée" in n.message for n in app._notifications)


async def test_a_coordinator_undoes_a_merge_made_by_mistake(store: Store) -> None:
    """Two records merged (one had no phone: it took the other's): the coordinator undoes it
    from the case file, after reading which merge, when and by whom. The record comes back as
    it was, under its number, with its case; the phone it brought leaves the kept record; both
    journals say so; the store still verifies. Only coordinators may; a second undo finds
    nothing left."""
    from plaintes_tui.store.database import StoreError
    from plaintes_tui.store.rectify import merge, undo_merge
    from plaintes_tui.store.verify import verify_store
    from plaintes_tui.tui.dialogs.confirm import ConfirmDialog

    kept = add_case(store, date(2026, 11, 20), complainant=person(phone=None, niss=None))
    other = add_case(
        store, date(2026, 11, 2), complainant=person(phone="+32470999999", niss="85073003328")
    )
    other_id = other["complainant_id"]
    merge(
        store, kept["complainant_id"], other_id, actor=Actor("dpeeters", Role.SUPERVISOR), now=NOW
    )
    assert get_case(store, other["id"])["complainant_id"] == kept["complainant_id"]
    with pytest.raises(StoreError, match="coordinateurs"):
        undo_merge(store, kept["complainant_id"], actor=Actor("dpeeters", Role.SUPERVISOR), now=NOW)
    app = app_for(store, Actor("emuller", Role.COORDINATOR))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CaseScreen(kept["id"]))
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        question = " ".join(app.screen.question.split())
        assert f"fiche #{other_id} dans la fiche #{kept['complainant_id']}" in question
        assert "par dpeeters" in question
        await pilot.press("o")
        await settle(pilot)
        assert "0470 99 99 99" not in complainant(app)
    moved_back = get_case(store, other["id"])
    assert moved_back["complainant_id"] == other_id
    assert moved_back["complainant_phone"] == "+32470999999"
    assert moved_back["complainant_niss"] == "85073003328"
    remaining = get_case(store, kept["id"])
    assert remaining["complainant_phone"] is None and remaining["complainant_niss"] is None
    for case in (kept, other):
        assert journal_of(store, case["id"])[-1].action == "complainants_merge_undone"
    assert verify_store(store).ok, verify_store(store).problems
    with pytest.raises(StoreError, match="Aucune fusion à annuler"):
        undo_merge(store, kept["complainant_id"], actor=Actor("emuller", Role.COORDINATOR), now=NOW)


async def test_the_merge_question_shows_each_birth_date(store: Store) -> None:
    add_case(store, date(2026, 11, 20), complainant=person(niss="85073003328"))
    add_case(store, date(2026, 11, 2), complainant=person(niss=None, phone="+32470999999"))
    app = app_for(store, Actor("dpeeters", Role.SUPERVISOR))
    async with app.run_test(size=(120, 50)) as pilot:
        await open_case(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("down", "space", "ctrl+s")
        await settle(pilot)
        question = app.screen.question  # type: ignore[attr-defined]
        assert "Date de naissance (NISS) : 30/07/1985" in question
        assert "Date de naissance (NISS) : —" in question
