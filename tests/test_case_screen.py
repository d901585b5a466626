"""The case file on screen: actions on keys, refusals that say why, two agents on one case."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import short_date
from plaintes_tui.settings import AgentSettings, Settings
from plaintes_tui.store.cases import get_case, journal_of
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.improvements import list_improvements
from plaintes_tui.store.workflow import perform
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.dialogs.confirm import ConfirmDialog
from plaintes_tui.tui.dialogs.form import FormDialog
from plaintes_tui.tui.screens.case import CaseScreen
from tests.factories import CALCULATOR, NOW, TODAY, add_admissible_case, do, new_store
from tests.pilot import burst, open_case, settle
from tests.screen_text import rendered


@pytest.fixture
def store(isolated: Path) -> Store:
    store = new_store(isolated)
    add_admissible_case(store, date(2026, 11, 20))
    return store


def app_for(store: Store, agent: str = "alice", supervisors: tuple[str, ...] = ()) -> PlaintesApp:
    settings = Settings(agents=AgentSettings(supervisors=supervisors))
    return PlaintesApp(settings, agent=agent, store=store, today=TODAY)


def notices(app: PlaintesApp) -> str:
    return "\n".join(n.message for n in app._notifications)


def actions(app: PlaintesApp) -> str:
    return " ".join(rendered(app.screen.query_one("#case-actions")).split())


async def test_note_acknowledgement_reply_and_closing(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=(140, 60)) as pilot:
        await open_case(pilot)
        assert "Clôturer — une plainte recevable se clôture après la réponse motivée" in actions(
            app
        )
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"Rappel", "enter")
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("enter", "space", "ctrl+s")  # today, e-mail
        await settle(pilot)
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("down", "space", "tab", "down", "down", "space", "tab")
        await pilot.press("tab", *"Excuses", "tab", *"Revoir le modèle", "ctrl+s")
        await settle(pilot)  # the decision: no letter has left yet
        assert get_case(store, "P-2026-00001")["reply_sent"] is None
        [action] = list_improvements(store, today=TODAY)  # the improvement named: proposed
        assert (action.title, action.status, action.cases) == (
            "Revoir le modèle",
            "proposed",
            ("P-2026-00001",),
        )
        assert any("lettre part" in n.message for n in app._notifications)
        await pilot.press("R")  # the reply written and posted outside the program
        await pilot.pause()
        await pilot.press("down", "space", "tab", "down", "down", "space", "tab")
        await pilot.press("tab", *"Excuses", "tab", "tab", *short_date(TODAY), "ctrl+s")
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        case = get_case(store, "P-2026-00001")
        assert case["status"] == "closed"
        assert case["acknowledgement_sent"] == TODAY.isoformat()
        assert case["acknowledgement_means"] == "email"
        assert case["outcome"] == "partly_founded"
        assert case["network_category"] == "file_handling"
        actions_done = [e.action for e in journal_of(store, case["id"])][-5:]
        assert actions_done == ["acknowledge", "reply", "improvement_linked", "reply", "close"]
        assert "Rouvrir" in actions(app)


async def test_refusals_are_explained(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=(140, 60)) as pilot:
        await open_case(pilot)
        assert "Attribuer — l'attribution est réservée aux superviseurs" in actions(app)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert any("superviseurs" in n.message for n in app._notifications)


async def test_a_stale_save_is_refused_and_the_text_stays(store: Store, isolated: Path) -> None:
    first = app_for(store, agent="alice")
    second_store = open_store(isolated / "plaintes.db")
    second = app_for(second_store, agent="bob")
    async with (
        first.run_test(size=(140, 60)) as pilot_a,
        second.run_test(size=(140, 60)) as pilot_b,
    ):
        await open_case(pilot_a)
        await open_case(pilot_b)
        await pilot_a.press("n")  # alice begins a note on the case as she read it…
        await pilot_a.pause()
        await pilot_a.press(*"Texte important")
        await pilot_b.press("r")  # …while bob records the acknowledgement
        await pilot_b.pause()
        await pilot_b.press("enter", "space", "ctrl+s")
        await settle(pilot_b)
        await pilot_a.press("enter")
        await settle(pilot_a)
        refusal = next(n.message for n in first._notifications if "bob" in n.message)
        assert "AR envoyé le" in refusal and "acknowledgement_sent" not in refusal
        assert re.search(r"bob le \w+ \d+ \w+ 20\d\d à \d\d:\d\d", refusal), refusal
        assert isinstance(first.screen, FormDialog)
        assert first.screen.query_one(Input).value == "Texte important"
        await pilot_a.press("enter")  # again, now on the fresh copy
        await settle(pilot_a)
        notes = [e.note for e in journal_of(store, 1) if e.action == "note"]
        assert notes == ["Texte important"]


async def test_a_stale_referral_stays_refused_once_the_other_referral_is_seen(
    store: Store, isolated: Path
) -> None:
    """Two agents refer the same case to the Ombudsman: the second is refused as stale, then,
    on the fresh copy, because the case is already referred — never recorded twice."""
    add_admissible_case(store, date(2026, 10, 1))
    case = get_case(store, 2)
    perform(
        store,
        2,
        case["version"],
        Move.REPLY,
        {"outcome": "founded", "network_category": "official_behaviour", "summary": "vu"},
        actor=Actor("carla"),
        now=NOW,
        calculator=CALCULATOR,
    )
    first = app_for(store, agent="alice")
    second = app_for(open_store(isolated / "plaintes.db"), agent="bob")
    async with (
        first.run_test(size=(140, 60)) as pilot_a,
        second.run_test(size=(140, 60)) as pilot_b,
    ):
        for pilot in (pilot_a, pilot_b):
            await settle(pilot)
            pilot.app.push_screen(CaseScreen(2))
            await settle(pilot)
        for pilot, reference in ((pilot_a, "MF-AAA"), (pilot_b, "MF-BBB")):
            await pilot.press("m")  # both open the form on the case as they read it
            await pilot.pause()
            await pilot.press("enter", *reference)
        for pilot in (pilot_a, pilot_b):
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert isinstance(second.screen, FormDialog)  # refused as stale, the text kept
        await pilot_b.press("ctrl+s")
        await settle(pilot_b)
        referrals = [
            e.changes["ombudsman_reference"][1]
            for e in journal_of(store, 2)
            if e.action == "ombudsman"
        ]
        assert referrals == ["MF-AAA"]
        assert any(
            "déjà porté devant le Médiateur" in n.message and "alice" in n.message
            for n in second._notifications
        )


@pytest.mark.slow
async def test_pause_resume_ombudsman_reopen_and_assign_on_screen(store: Store) -> None:
    app = app_for(store, agent="sup", supervisors=("sup",))
    async with app.run_test(size=(140, 60)) as pilot:
        screen = await open_case(pilot)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter", *"Attente du numero", "enter")  # since today, the reason
        await settle(pilot)
        assert get_case(store, "P-2026-00001")["status"] == "paused"
        assert "Reprendre" in actions(app)
        await pilot.press("R")  # a reply while paused is refused, and says why
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert any("reprenez-le" in n.message for n in app._notifications)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("ctrl+s")  # resumed today
        await settle(pilot)
        assert get_case(store, "P-2026-00001")["status"] == "in_progress"
        await pilot.press("t")
        await settle(pilot)
        await pilot.press(*"bob", "enter")  # the agents already seen, without a directory
        await settle(pilot)
        assert get_case(store, "P-2026-00001")["assigned_to"] is None  # bob is nobody yet
        await pilot.press("escape", "t")
        await settle(pilot)
        await pilot.press(*"sup", "enter")
        await settle(pilot)
        assert get_case(store, "P-2026-00001")["assigned_to"] == "sup"
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("space", "tab", "space", "tab", "tab", *"Refus", "tab", "tab")
        await pilot.press(*short_date(TODAY), "ctrl+s")  # posted today
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("enter", *"MF-123", "ctrl+s")
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        await pilot.press(*"Nouvel element", "enter")
        await settle(pilot)
        case = get_case(store, "P-2026-00001")
        assert case["status"] == "in_progress"
        assert case["ombudsman_referred"] == TODAY.isoformat()
        moves = [e.action for e in journal_of(store, case["id"])][2:]
        assert moves == ["pause", "resume", "assign", "reply", "ombudsman", "close", "reopen"]
        assert screen.current.version == case["version"]


async def test_a_note_typed_at_full_speed_and_entered_is_saved_whole(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=(140, 60)) as pilot:
        await open_case(pilot)
        await pilot.press("n")
        await pilot.pause()
        burst(pilot, *"Rappel [red]urgent[/red]", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        notes = [e.note for e in journal_of(store, 1) if e.action == "note"]
        assert notes == ["Rappel [red]urgent[/red]"]


async def test_an_ombudsman_referral_shows_in_the_case_header(store: Store) -> None:
    case = get_case(store, 1)
    perform(
        store,
        1,
        case["version"],
        Move.OMBUDSMAN,
        {"date": date(2026, 11, 27), "reference": "MF-9"},
        actor=Actor("alice"),
        now=NOW,
        calculator=CALCULATOR,
    )
    app = app_for(store)
    async with app.run_test(size=(140, 60)) as pilot:
        await open_case(pilot)
        header = rendered(app.screen.query_one("#case-clocks"))
        assert "Porté devant le Médiateur fédéral le 27/11/2026" in header


async def test_enter_on_the_last_choice_of_an_action_form_saves_it(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=(140, 60)) as pilot:
        await open_case(pilot)
        await pilot.press("r")  # acknowledgement: date, then the means (e-mail, letter, phone)
        await pilot.pause()
        await pilot.press("enter", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert get_case(store, 1)["acknowledgement_means"] == "letter"


async def test_a_word_typed_into_the_case_file_fires_no_action(store: Store) -> None:
    """Typing "peeters" into the case file, as if a field had the focus, opens no dialog (the
    p of pause, t of assign, r of acknowledgement…) and says why; a key pressed on its own
    still acts."""
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot)
        burst(pilot, *"peeters")
        await settle(pilot)
        assert app.screen is screen
        assert any("Frappe ignorée" in n.message for n in app._notifications)
        burst(pilot, *"martin")  # a word ending on an action's key: the n of a note
        await settle(pilot)
        assert app.screen is screen
        burst(pilot, *"lambert")  # the l of letters: its list, read meanwhile, never opens
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        burst(pilot, *"Appel du fils")  # pasted into the note once it is open: kept
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        assert app.screen.typed()["text"] == "Appel du fils"


async def test_the_case_file_names_people_and_its_language(store: Store) -> None:
    """The journal and the header name agents by their full name when the directory has it,
    and the header gives the case's language (that of its letters)."""
    from plaintes_tui.domain.contacts import Person

    directory = {"alice": Person("Alice Martin")}
    settings = Settings(agents=AgentSettings(directory=directory))
    app = PlaintesApp(settings, agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_case(pilot)
        clocks = " ".join(rendered(screen.query_one("#case-clocks")).split())
        assert "langue du dossier : français" in clocks
        assert "par Alice Martin" in clocks
        journal = rendered(screen.query_one("#case-journal"))
        assert "Alice Martin" in journal and "alice " not in journal


async def test_a_file_sent_elsewhere_is_forwarded_from_the_case_file(isolated: Path) -> None:
    """By e-mail, with the file, to the address the reference data gives; never to an
    institution whose entry is still the shipped example."""
    from dataclasses import replace

    from plaintes_tui.domain.admissibility import Outcome, load_reference
    from plaintes_tui.domain.cases import Admissibility
    from plaintes_tui.store.outbox import letters_of
    from plaintes_tui.store.workflow import record_decision
    from tests.factories import add_case, verified_reference

    store = new_store(isolated)
    case = add_case(store, date(2026, 11, 20))
    institution = load_reference().other_institutions[0].in_language("fr")
    record_decision(
        store,
        case["id"],
        case["version"],
        Outcome(Admissibility.OTHER_INSTITUTION),
        reason=institution,
        answers=[],
        actor=Actor("alice"),
        now=NOW,
        calculator=CALCULATOR,
    )
    app = app_for(store)
    async with app.run_test(size=(140, 60)) as pilot:
        await open_case(pilot)
        assert "T Transmettre █ t" in actions(app)  # offered
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert app.screen.query_one("#form-to", Input).value == institution  # where it goes
        await pilot.press("ctrl+s")  # by post (no address known), today
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)  # refused: the typed form is given back
        assert "adresse d'exemple" in notices(app)
        assert not [e for e in journal_of(store, case["id"]) if e.action == "forwarded"]
    # The service's own reference data: checked, with the institution's address.
    checked = verified_reference()
    pensions = replace(checked.other_institutions[0], email="plaintes@pensions.be")
    checked = replace(checked, other_institutions=(pensions, *checked.other_institutions[1:]))
    store.connection.execute(
        "UPDATE cases SET admissibility_reason = ? WHERE id = ?",
        (pensions.in_language("fr"), case["id"]),
    )  # as the checklist would have stored it from the checked data
    app = PlaintesApp(
        Settings(output=isolated / "out"), agent="alice", store=store, today=TODAY,
        reference=checked,
    )  # fmt: skip
    async with app.run_test(size=(140, 60)) as pilot:
        await open_case(pilot)
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("ctrl+s")  # by e-mail, today
        await settle(pilot)
        [forwarded] = [e for e in journal_of(store, case["id"]) if e.action == "forwarded"]
        assert forwarded.changes["forwarded_to"] == [None, pensions.in_language("fr")]
        assert forwarded.changes["forwarded_by"] == [None, "email"]
        assert "dossier transmis" in rendered(app.screen.query_one("#case-journal"))
        [note] = letters_of(store, case["id"])
        assert note["recipient"] == "plaintes@pensions.be" and note["send"] == "held"
        assert "transmission du dossier" in rendered(app.screen.query_one("#case-letters"))
        assert "Transmission écrite pour" in notices(app)
        assert "E-mail écrit mais pas envoyé" in notices(app)


async def test_escape_asks_before_throwing_typed_work_away(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=(140, 60)) as pilot:
        await open_case(pilot)
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("escape")  # nothing typed: it closes at once
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("down", "down", "space", "escape")  # non fondée, chosen
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # the safe answer: keep it
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        assert app.screen.typed()["outcome"] == "unfounded"
        await pilot.press("escape", "o")  # oui: leave it
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert [e.action for e in journal_of(store, 1)][-1] != "reply"


async def test_the_acknowledgement_starts_on_the_means_the_complainant_has(
    isolated: Path,
) -> None:
    from textual.widgets import RadioSet

    from tests.factories import add_case, person

    store = new_store(isolated)
    add_case(store, date(2026, 11, 20), complainant=person(email=None, street="Rue Haute 3"))
    app = app_for(store)
    async with app.run_test(size=(140, 60)) as pilot:
        await open_case(pilot)
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.typed()["means"] == "letter"  # no e-mail address: by post
        await pilot.press("enter")  # the date, then the list, on the option already chosen
        means = dialog.query_one("#form-means", RadioSet)
        assert means.pressed_index == 1 and means._selected == 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert get_case(store, 1)["acknowledgement_means"] == "letter"


async def test_an_open_case_file_shows_a_colleagues_save(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=(140, 60)) as pilot:
        screen = await open_case(pilot)
        assert "Accusé envoyé" in actions(app)
        do(store, 1, Move.ACKNOWLEDGE, by="bob", date=TODAY, means="phone")  # elsewhere
        screen._poll()  # what the screen does every second while it is on top
        await settle(pilot)
        assert screen.current.acknowledgement_sent == TODAY
        assert "Corriger l'accusé de réception (moyen, date)" in actions(app)
        assert "bob" in rendered(screen.query_one("#case-journal"))


async def test_keys_arriving_together_apply_in_the_order_typed(store: Store) -> None:
    """Over SSH or in a paste, keys arrive together: a list's ↓ and space must act before the
    tab typed after them moves on (Textual would resolve them on the field tab went to)."""
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot)
        await pilot.press("R")
        await pilot.pause()
        burst(pilot, "down", "down", " ", "tab", "down", " ", "tab", *"Délai", "tab")
        burst(pilot, *"Dossier relu", "tab", "tab", *short_date(TODAY))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        assert form.typed() == {
            "outcome": "unfounded",
            "network_category": "service_quality",
            "complaint": "Délai",
            "summary": "Dossier relu",
            "improvement_action": "",
            "date": short_date(TODAY),
        }


async def test_the_persons_other_cases_say_how_many_are_not_listed(isolated: Path) -> None:
    from tests.factories import add_case

    store = new_store(isolated)
    first = add_case(store, date(2026, 11, 20))
    for day in range(1, 13):  # twelve older complaints of the same person
        add_case(store, date(2025, 1, day), complainant=first["complainant_id"])
    app = app_for(store)
    async with app.run_test(size=(140, 60)) as pilot:
        app.push_screen(CaseScreen(first["id"]))
        await settle(pilot)
        panel = rendered(app.screen.query_one("#case-complainant"))
        assert panel.count("P-2025-") == 10
        assert "… et 2 plus ancien(s), non listé(s) ici" in panel


async def test_a_wrong_acknowledgement_means_is_corrected_and_journaled(store: Store) -> None:
    """Recorded as an e-mail, it left by post: r again starts on what was recorded; the
    means changes, the day only by a supervisor (it decides whether it was on time)."""
    from datetime import timedelta

    do(store, 1, Move.ACKNOWLEDGE, date=TODAY, means="email")
    app = app_for(store)
    async with app.run_test(size=(140, 60)) as pilot:
        await open_case(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert app.screen.typed() == {"date": short_date(TODAY), "means": "email"}
        await pilot.press("tab", "down", "space", "ctrl+s")  # lettre
        await settle(pilot)
        assert get_case(store, 1)["acknowledgement_means"] == "letter"
        entry = journal_of(store, 1)[-1]
        assert entry.changes["acknowledgement_means"] == ["email", "letter"]
        await pilot.press("r")
        await pilot.pause()
        field = app.screen.query_one("#form-date", Input)
        field.value = short_date(TODAY - timedelta(days=1))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "seul un superviseur en corrige le jour" in notices(app)
        assert get_case(store, 1)["acknowledgement_sent"] == TODAY.isoformat()


def test_a_flag_in_the_journal_reads_as_yes_or_no() -> None:
    from plaintes_tui.tui.screens.case_panels import _journal_value

    assert (_journal_value("paused_late", True), _journal_value("urgent", False)) == (
        "Oui",
        "Non",
    )


async def test_keys_typed_with_the_one_that_opens_the_case_act_on_it_once_read(
    store: Store,
) -> None:
    """Enter and n typed in one go (tmux, SSH, a fast agent) open the case and then its note:
    the n waits until the case is read instead of being lost, and a key right after enter is
    a key on its own, not the start of a word."""
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, "enter", "n")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        assert isinstance(app.screen_stack[-2], CaseScreen)
        assert app.screen_stack[-2].case is not None
        burst(pilot, *"Rappel demandé")
        await settle(pilot)
        assert app.screen.typed()["text"] == "Rappel demandé"
        assert not any("Frappe ignorée" in n.message for n in app._notifications)
