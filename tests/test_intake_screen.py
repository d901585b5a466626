"""Intake as agents do it: a phone call typed live, a tray of letters, mistakes, drafts."""

from __future__ import annotations

import inspect
import os
import re
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label, Static, TextArea

from plaintes_tui.settings import IntakeSettings, Settings
from plaintes_tui.store.cases import get_case
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.drafts import delete_draft, load_draft, save_draft
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.dialogs.confirm import ConfirmDialog
from plaintes_tui.tui.screens.intake import IntakeScreen
from plaintes_tui.tui.screens.queue import QueueScreen
from tests.factories import NOW, TODAY, add_case, person
from tests.pilot import burst, open_form, settle
from tests.pilot import intake_screen as screen


def make_app(store: Store, agent: str = "alice", **intake: object) -> PlaintesApp:
    settings = Settings(intake=IntakeSettings(**intake))  # type: ignore[arg-type]
    return PlaintesApp(settings, agent=agent, store=store, today=TODAY)


async def type_in(pilot: Pilot[None], text: str) -> None:
    """Key by key, as an agent types."""
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


def signal_from(child: subprocess.Popen[bytes], path: Path, *, within: float) -> str:
    """What ``child`` wrote to the file ``path`` once it wrote anything, or "" when it wrote
    nothing in time or ended first. A file, not the child's stdout: a running Textual app
    captures what it prints, and a pipe passes it on only when the environment says so."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and child.poll() is None:
        if path.exists() and path.read_text(encoding="utf-8").endswith("\n"):
            return path.read_text(encoding="utf-8").strip()
        time.sleep(0.05)
    return path.read_text(encoding="utf-8").strip() if path.exists() else ""


def error(app: PlaintesApp, name: str) -> str:
    return str(screen(app).query_one(f"#e-{name}", Label).render())


def value(app: PlaintesApp, name: str) -> str:
    return screen(app).query_one(f"#f-{name}", Input).value


def result(app: PlaintesApp) -> str:
    return str(screen(app).query_one("#intake-result", Static).render())


async def saved(pilot: Pilot[None], check_now: bool = False) -> None:
    """After a save, the form offers the admissibility check: answer it."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConfirmDialog)
    await pilot.press("o" if check_now else "n")
    await pilot.pause()


@pytest.mark.slow
async def test_a_phone_call_typed_live(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        assert app.focused is screen(app).query_one("#f-last_name")
        for text in (
            "Dubois",
            "Hélène",
            "0477 84 86 64",
            "helene.dubois@example.be",
            "Rue Haute 12",
            "1000",
            "Bruxelles",
            "",  # the country: Belgium
            "85.07.30-033.28",
        ):
            await type_in(pilot, text)
            await pilot.press("enter")
        assert value(app, "phone") == "0477 84 86 64"
        assert value(app, "niss") == "85.07.30-033.28"
        assert value(app, "received") == "28/11/2026"  # a call: today
        await pilot.press("tab", "tab", "tab", "down", "down", "space", "tab")  # category
        await type_in(pilot, "Pas de réponse à mon courrier")
        await pilot.press("tab")
        await type_in(pilot, "J'ai écrit le 3 novembre.")
        await pilot.press("enter")
        await type_in(pilot, "Toujours rien.")
        await pilot.press("ctrl+s")
        await saved(pilot)
        case = get_case(store, "P-2026-00001")
        assert case["channel"] == "phone"
        assert case["received"] == "2026-11-28"
        assert case["received_time"] is not None
        assert case["complainant_phone"] == "+32477848664"
        assert case["complainant_niss"] == "85073003328"
        assert case["complainant_postal_code"] == "1000"
        assert case["category"] == "staff_conduct"
        assert case["description"] == "J'ai écrit le 3 novembre.\nToujours rien."
        assert case["logged_by"] == "alice"
        assert "P-2026-00001" in result(app) and "04/12/2026" in result(app)
        assert value(app, "last_name") == ""  # a fresh form for the next call
        assert app.focused is screen(app).query_one("#f-last_name")
        assert load_draft(store, "alice") is None
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_a_tray_of_letters_keeps_channel_and_date(store: Store) -> None:
    app = make_app(store, agent="mailroom", channel_by_agent=(("mailroom", "letter"),))
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        assert value(app, "received") == ""  # a letter: the in-tray stamp must be typed
        form = screen(app)
        for index, name in enumerate(("Peeters", "Janssens", "Maes")):
            form.query_one("#f-last_name", Input).focus()
            await type_in(pilot, name)
            if index == 0:
                form.query_one("#f-received", Input).focus()
                await type_in(pilot, "20/11/2026")
            form.query_one("#f-subject", Input).focus()
            await type_in(pilot, f"Brief {index + 1}")
            await pilot.press("ctrl+s")
            await settle(pilot)
            # The mailroom logs, it does not decide admissibility: no question after a save.
            assert app.screen is form
            assert value(app, "received") == "20/11/2026"
            assert form.form()["channel"] == "letter"
        cases = store.connection.execute(
            "SELECT reference, channel, received, contact_incomplete FROM cases ORDER BY id"
        ).fetchall()
        assert cases == [
            ("P-2026-00001", "letter", "2026-11-20", 1),
            ("P-2026-00002", "letter", "2026-11-20", 1),
            ("P-2026-00003", "letter", "2026-11-20", 1),
        ]
        assert "coordonnées incomplètes" in result(app)
        # Leaving the form and coming back: the tray goes on where it was.
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        again = screen(app)
        assert again is not form and again.form()["channel"] == "letter"
        assert value(app, "received") == "20/11/2026"


async def test_each_mistake_is_shown_next_to_its_field(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        form = screen(app)
        for name, typed, message in (
            ("phone", "0477 84", "numéro de téléphone non valable"),
            ("email", "helene@", "adresse e-mail non valable"),
            ("niss", "85.07.30-033.29", "chiffres de contrôle"),
            ("postal_code", "999", "4 chiffres de 1000 à 9992"),
            ("received", "31/02/2026", "date non reconnue"),
            ("received", "29/11/2026", "ne peut pas être dans le futur"),
        ):
            field = form.query_one(f"#f-{name}", Input)
            field.value = ""
            field.focus()
            await type_in(pilot, typed)
            await pilot.press("enter")
            assert message in error(app, name), name
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "le nom est obligatoire" in error(app, "last_name")
        assert "le sujet est obligatoire" in error(app, "subject")
        assert app.focused is form.query_one("#f-last_name")
        assert store.connection.execute("SELECT count(*) FROM cases").fetchone() == (0,)
        form.query_one("#f-phone", Input).value = "0477 84 86 64"
        form.query_one("#f-phone", Input).focus()
        await pilot.press("enter")
        assert error(app, "phone") == ""


async def test_an_old_date_of_receipt_is_confirmed(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        form = screen(app)
        form.query_one("#f-last_name", Input).value = "Aerts"
        form.query_one("#f-subject", Input).value = "Ancien courrier"
        form.query_one("#f-received", Input).value = "01/09/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert store.connection.execute("SELECT count(*) FROM cases").fetchone() == (0,)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("o")
        await saved(pilot)
        assert get_case(store, "P-2026-00001")["received"] == "2026-09-01"


async def phone_typed(pilot: Pilot[None]) -> IntakeScreen:
    """A new form, its phone typed and left: the known-complainant lookup done."""
    await open_form(pilot)
    form = screen(pilot.app)
    form.query_one("#f-phone", Input).focus()
    await type_in(pilot, "+32 477 84 86 64")
    await pilot.press("enter")
    await settle(pilot)
    return form


async def test_a_phone_on_more_records_than_listed_says_how_many(store: Store) -> None:
    """A social worker's phone, given for seven citizens: five listed, two said."""
    for number in range(7):
        add_case(store, date(2026, 11, 20), complainant=person(last_name=f"Client{number}"))
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        form = await phone_typed(pilot)
        panel = " ".join(str(form.query_one("#known-body", Static).render()).split())
        assert panel.count("CLIENT") == 5
        assert "… et 2 autre(s) personne(s) avec ce téléphone" in panel


async def test_a_known_complainant_is_shown_and_linked(store: Store) -> None:
    first = add_case(
        store,
        date(2026, 11, 20),
        complainant=person(last_name="[b]Dubois[/b]", first_name="Hélène"),
    )
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        form = await phone_typed(pilot)
        panel = str(form.query_one("#known-body", Static).render())
        assert "[B]DUBOIS[/B] Hélène" in panel
        assert "P-2026-00001" in panel and "téléphone" in panel
        await pilot.press("ctrl+l")
        assert value(app, "last_name") == "[b]Dubois[/b]"
        assert "Lié à" in str(form.query_one("#known-body", Static).render())
        form.query_one("#f-subject", Input).value = "Deuxième plainte"
        await pilot.press("ctrl+s")
        await saved(pilot)
        second = get_case(store, "P-2026-00002")
        assert second["complainant_id"] == first["complainant_id"]
        (people,) = store.connection.execute("SELECT count(*) FROM complainants").fetchone()
        assert people == 1


async def test_escape_asks_before_throwing_a_filled_form_away(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        await type_in(pilot, "Dubois")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert value(app, "last_name") == "Dubois"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert load_draft(store, "alice") is None
        await pilot.press("f2")  # an empty form leaves without a question
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)


async def test_typing_without_a_pause_does_not_put_the_draft_off(store: Store) -> None:
    """The draft is written a few hundred ms after the first key of a stretch of typing, not
    after the last: an agent who types a whole minute without pausing, then loses the
    terminal, loses that fraction of a second, not the minute."""
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        await type_in(pilot, "Le")
        form = screen(app)
        first = form._draft_timer
        assert first is not None  # the write is set for the first key...
        first.pause()  # (held, however slowly this machine types the rest)
        await type_in(pilot, "jeune")
        assert form._draft_timer is first  # ...and the keys after it do not put it off
        form._keep_draft()  # the timer fires
        await settle(pilot)
        draft = load_draft(store, "alice")
        assert draft is not None and draft.form["last_name"] == "Lejeune"
        await type_in(pilot, "s")
        assert form._draft_timer is not None and form._draft_timer is not first


async def test_the_form_is_kept_as_a_draft_per_agent(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        await type_in(pilot, "Lejeune")
        form = screen(app)
        form._keep_draft()  # what the draft timer does a few hundred ms after a key
        await settle(pilot)
        draft = load_draft(store, "alice")
        assert draft is not None and draft.form["last_name"] == "Lejeune"
        assert load_draft(store, "bob") is None


async def test_a_discarded_form_is_not_brought_back_by_a_draft_write_taking_its_turn_last(
    store: Store,
) -> None:
    """The draft timer's write and a discard right after it run in worker threads that take
    turns on the store in either order: the discard, asked last, wins — the form thrown away
    is never offered again. The two turns are taken here in the bad order, by hand."""
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        await type_in(pilot, "Dubois")
        form = screen(app)
        write = inspect.unwrap(IntakeScreen._write_draft)  # the worker's own body
        typed, number = form.form(), form._form_number
        form._drafts_asked += 2  # the timer's write asked, then the discard's delete
        write(form, None, number, form._drafts_asked)  # the delete takes its turn first
        write(form, typed, number, form._drafts_asked - 1)  # the write, last
        assert load_draft(store, "alice") is None


_TYPE_AND_WAIT = """
import asyncio, sys, time
from datetime import date
from pathlib import Path
from plaintes_tui.settings import Settings
from plaintes_tui.store.database import open_store
from plaintes_tui.store.drafts import load_draft
from plaintes_tui.tui.app import PlaintesApp

store = open_store(Path(sys.argv[1]))
signal_file = Path(sys.argv[2])

async def agent(pilot):
    await pilot.pause()
    await pilot.press("f2")
    await pilot.pause()
    await pilot.press(*"Dubois", "enter", *"Helene", "enter", *"0477848664")
    deadline = time.monotonic() + 60
    while "0477848664" not in str(load_draft(store, "alice")):
        if time.monotonic() > deadline:
            signal_file.write_text(f"NO DRAFT {load_draft(store, 'alice')}\\n")
            pilot.app.exit()
            return
        await pilot.pause(0.05)
    signal_file.write_text("READY\\n")
    await asyncio.sleep(600)

PlaintesApp(Settings(), agent="alice", store=store, today=date(2026, 11, 28)).run(
    headless=True, auto_pilot=agent
)
"""


async def test_a_killed_session_offers_its_draft_back(store: Store, isolated: Path) -> None:
    db = isolated / "plaintes.db"
    ready, errors = isolated / "ready", isolated / "child-stderr.txt"
    with errors.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", _TYPE_AND_WAIT, str(db), str(ready)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        )
    try:
        said = signal_from(process, ready, within=90)
        assert said == "READY", f"the child said {said!r}; its stderr:\n{errors.read_text()}"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    app = make_app(open_store(db))
    async with app.run_test(size=(150, 50)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        # dated as every moment on screen is (06/12/2026 09:41), not as stored
        assert re.search(r"brouillon de plainte du \d\d/\d\d/\d{4} \d\d:\d\d ", app.screen.question)
        await pilot.press("o")
        await pilot.pause()
        assert value(app, "last_name") == "Dubois"
        assert value(app, "first_name") == "Helene"
        assert value(app, "phone") == "0477848664"


async def test_ctrl_s_right_after_typing_saves_every_key(store: Store) -> None:
    """A fast typist saves the moment the last word is typed: nothing typed is left out."""
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        form = screen(app)
        form.query_one("#f-last_name", Input).value = "Dubois"
        form.query_one("#f-subject", Input).focus()
        await pilot.pause()
        burst(pilot, *"Pas de reponse", "ctrl+s")
        await saved(pilot)
        assert get_case(store, "P-2026-00001")["subject"] == "Pas de reponse"


async def test_the_previous_caller_never_leaks_into_the_next_call(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The known-complainant lookup of the last call finishes after the form was saved and
    reset: its result is dropped, and ctrl+l on the fresh form links nobody."""
    import threading

    from plaintes_tui.tui.screens import intake_known

    add_case(store, date(2026, 11, 2), complainant=person(last_name="Lemaire"))
    release = threading.Event()
    from plaintes_tui.store.complainants import find_known as real_find

    def slow_find(*args: object, **kwargs: object) -> object:
        release.wait(timeout=20)
        return real_find(*args, **kwargs)  # type: ignore[arg-type]  # as the screen calls it

    monkeypatch.setattr(intake_known, "find_known", slow_find)
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        screen(app).query_one("#f-subject", Input).value = "Toujours rien"
        await pilot.press(*"Lemaire", "enter", "tab", *"0477848664", "enter")
        burst(pilot, "ctrl+s")
        for answer in ("o", "n"):  # a second record for the same phone: yes; check now: no
            for _ in range(200):  # the save alone, not the lookup held back
                if isinstance(app.screen, ConfirmDialog):
                    break
                await pilot.pause(0.05)
            await pilot.press(answer)
            await pilot.pause()
        release.set()
        await settle(pilot)
        assert get_case(store, "P-2026-00002")["complainant_last_name"] == "Lemaire"
        form = screen(app)
        assert value(app, "last_name") == "" and value(app, "phone") == ""
        assert not form.query_one("#intake-known").display
        assert error(app, "subject") == ""  # no stale "le sujet est obligatoire"
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert value(app, "last_name") == "" and value(app, "phone") == ""


async def test_a_restored_draft_puts_the_cursor_where_the_agent_stopped(store: Store) -> None:
    from plaintes_tui.store.drafts import save_draft
    from tests.factories import NOW

    save_draft(
        store,
        "alice",
        {"last_name": "Janssens", "subject": "Appel coupé", "description": "Il a raccroché"},
        NOW,
    )
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await settle(pilot)
        await pilot.press("o")  # yes, restore it
        await settle(pilot)
        await type_in(pilot, " au nez.")
        form = screen(app)
        assert value(app, "last_name") == "Janssens"
        assert form.query_one("#f-description", TextArea).text == "Il a raccroché au nez."


async def test_typing_a_date_of_receipt_replaces_the_one_proposed(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        screen(app).query_one("#f-received", Input).focus()
        await pilot.pause()
        await type_in(pilot, "24/11")
        assert value(app, "received") == "24/11"


async def test_a_field_typed_at_full_speed_is_checked_whole(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        burst(pilot, *"Dubois", "enter", "enter", *"0477848664", "enter")
        await settle(pilot)
        assert value(app, "phone") == "0477 84 86 64"  # checked with every digit
        assert error(app, "phone") == ""


async def test_enter_in_a_list_of_choices_takes_the_option_and_moves_on(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        form = screen(app)
        form.query_one("#f-language").focus()
        await pilot.pause()
        await pilot.press("down", "enter")
        assert form.form()["language"] == "nl"
        assert app.focused is form.query_one("#f-channel")
        labels = [str(b.render()) for b in form.query("#f-language ChoiceButton")]
        assert labels[0].startswith("▐○▌") and labels[1].startswith("▐●▌")  # not by colour alone


async def test_the_known_complainant_follows_the_phone_as_it_is_edited(store: Store) -> None:
    add_case(store, date(2026, 11, 2), complainant=person(last_name="Lemaire"))
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        form = screen(app)
        form.query_one("#f-phone", Input).focus()
        await type_in(pilot, "0477848664")
        await pilot.press("enter")
        await settle(pilot)
        assert form.query_one("#intake-known").display
        form.query_one("#f-phone", Input).focus()
        await pilot.pause()
        form.query_one("#f-phone", Input).value = ""
        await pilot.press("enter")
        await settle(pilot)
        assert not form.query_one("#intake-known").display
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert value(app, "last_name") == ""


async def test_quitting_with_a_form_half_typed_asks_and_keeps_the_draft(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        await type_in(pilot, "Dubois")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, IntakeScreen) and app.is_running
        burst(pilot, *"ka", "ctrl+q")
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
    draft = load_draft(store, "alice")
    assert draft is not None and draft.form["last_name"] == "Duboiska"


async def test_a_terminal_gone_keeps_the_typed_form_and_ends_the_app(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An SSH connection dropped mid-call: the next beat finds no terminal, keeps the draft and
    ends the app instead of leaving it spinning on a dead terminal."""
    import plaintes_tui.tui.app

    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        await type_in(pilot, "Lejeune")
        app._terminal = True  # as started in a real terminal
        monkeypatch.setattr(plaintes_tui.tui.app, "terminal_present", lambda: True)
        app.beat()
        await settle(pilot)
        assert app.is_running
        monkeypatch.setattr(plaintes_tui.tui.app, "terminal_present", lambda: False)
        app.beat()
        await settle(pilot)
        assert not app.is_running
    draft = load_draft(store, "alice")
    assert draft is not None and draft.form["last_name"] == "Lejeune"


@pytest.mark.parametrize("meanwhile", ["saved", "typed on"])
async def test_a_session_left_running_when_ssh_dropped_puts_no_draft_back(
    store: Store, monkeypatch: pytest.MonkeyPatch, meanwhile: str
) -> None:
    """SSH dropped mid-call: the old session runs on unseen, its draft kept. The agent logs
    in again; the new session takes the draft over and saves the case (or types on). When the
    old session at last finds its terminal gone, it does not put its draft back over that:
    the complaint is not offered a second time, to be logged twice."""
    import plaintes_tui.tui.app

    app = make_app(store)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_form(pilot)
        await type_in(pilot, "Lejeune")
        screen(app)._keep_draft()
        await settle(pilot)
        assert load_draft(store, "alice") is not None
        if meanwhile == "saved":  # the new session's save takes the draft away
            delete_draft(store, "alice")
        else:
            save_draft(store, "alice", {"last_name": "Lejeune-Dubois"}, NOW)
        app._terminal = True
        monkeypatch.setattr(plaintes_tui.tui.app, "terminal_present", lambda: False)
        app.beat()
        await settle(pilot)
        assert not app.is_running
    draft = load_draft(store, "alice")
    if meanwhile == "saved":
        assert draft is None
    else:
        assert draft is not None and draft.form["last_name"] == "Lejeune-Dubois"


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_a_known_caller_leaves_every_choice_whole_and_shows_their_open_cases(
    store: Store, size: tuple[int, int]
) -> None:
    """Under 140 columns the panel goes under the form: no language or channel is cut, and a
    person's open cases are in its first lines."""
    from textual.widgets import RadioButton

    from tests.screen_text import rendered

    add_case(store, date(2026, 11, 20), complainant=person(phone="+32477848664"))
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await open_form(pilot)
        burst(pilot, *"Dubois", "enter", *"H", "enter", *"0477 84 86 64", "enter")
        await settle(pilot)
        form = screen(app)
        edge = form.query_one("#intake-form").scrollable_content_region.right
        for button in form.query(RadioButton):
            assert button.region.right <= edge, button.label
        panel = form.query_one("#intake-known")
        lines = rendered(form.query_one("#known-body")).splitlines()
        shown = lines[: panel.scrollable_content_region.height]
        assert any("P-2026-00001" in line for line in shown), shown


async def test_a_known_caller_with_many_open_cases_is_told_what_the_panel_leaves_out(
    store: Store,
) -> None:
    """Five open cases are listed, each subject whole or ending in "…", and a line says how
    many more are open: nothing is left out silently."""
    from tests.screen_text import rendered

    first = add_case(store, date(2026, 11, 2), complainant=person(phone="+32477848664"))
    for day in range(3, 8):
        add_case(store, date(2026, 11, day), complainant=first["complainant_id"])
    add_case(
        store,
        date(2026, 11, 8),
        complainant=first["complainant_id"],
        subject="Une allocation refusée sans qu'aucune raison ne soit donnée dans la lettre",
    )
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await open_form(pilot)
        burst(pilot, *"Dubois", "enter", *"H", "enter", *"0477 84 86 64", "enter")
        await settle(pilot)
        text = " ".join(rendered(screen(app).query_one("#known-body")).split())  # unwrapped
    assert "Dossiers ouverts : 7 (sur 7)" in text
    assert "… et 2 autre(s) ouvert(s), non listé(s) ici" in text
    assert "Une allocation refusée sans qu'aucune r…" in text
