"""What is typed in a case's dialogs survives the session: kept as the agent types, given back
in the same dialog on the same case, gone once the dialog is left."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from plaintes_tui.settings import AgentSettings, Settings
from plaintes_tui.store.cases import journal_of
from plaintes_tui.store.database import Store
from plaintes_tui.store.drafts import DialogKey, load_dialog_draft, save_dialog_draft
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.dialogs.confirm import ConfirmDialog
from plaintes_tui.tui.dialogs.form import FormDialog
from plaintes_tui.tui.dialogs.letter import LetterDialog
from tests.factories import NOW, TODAY, add_admissible_case, new_store
from tests.pilot import burst, open_case, settle
from tests.test_letters import ALICE

NOTE = DialogKey("alice", "note", 1)
RESTORED = "Texte repris du brouillon non enregistré du"


@pytest.fixture
def store(isolated: Path) -> Store:
    store = new_store(isolated)
    add_admissible_case(store, date(2026, 11, 20))
    return store


def app_for(store: Store) -> PlaintesApp:
    settings = Settings(agents=AgentSettings(directory={"alice": ALICE}))
    return PlaintesApp(settings, agent="alice", store=store, today=TODAY)


async def until(condition: Callable[[], bool]) -> None:
    """Wait, at most 5 s, for the draft's write off the UI thread."""

    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), 5)


async def note_dialog(pilot: Pilot[None]) -> None:
    """The case opened, then its note's dialog (n)."""
    await open_case(pilot)
    await pilot.press("n")
    await settle(pilot)


async def note_typed(pilot: Pilot[None], store: Store, text: str) -> None:
    """The note's dialog, ``text`` typed in it at once, and kept as its draft."""
    await note_dialog(pilot)
    burst(pilot, *text)
    await until(lambda: kept(store, NOTE, "text") == text)


def kept(store: Store, key: DialogKey, field: str) -> str:
    draft = load_dialog_draft(store, key)
    return "" if draft is None else draft.form.get(field, "")


async def test_a_note_typed_when_the_session_ends_is_given_back(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await note_typed(pilot, store, "Le fils rappelle lundi")
    # the session ended with the dialog open: a new one finds the note where it was
    assert kept(store, NOTE, "text") == "Le fils rappelle lundi"
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await note_dialog(pilot)
        assert isinstance(app.screen, FormDialog)
        assert app.screen.query_one("#form-text", Input).value == "Le fils rappelle lundi"
        assert any(RESTORED in n.message for n in app._notifications)
        await pilot.press("enter")  # saved: the draft goes
        await settle(pilot)
        await until(lambda: load_dialog_draft(store, NOTE) is None)
    assert journal_of(store, 1)[-1].note == "Le fils rappelle lundi"


async def test_a_note_thrown_away_leaves_no_draft(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await note_typed(pilot, store, "Brouillon")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # asked first, as before
        await pilot.press("o")
        await settle(pilot)
        await until(lambda: load_dialog_draft(store, NOTE) is None)
        await pilot.press("n")  # opened again: empty
        await settle(pilot)
        assert app.screen.query_one("#form-text", Input).value == ""
        assert not any(RESTORED in n.message for n in app._notifications)


async def test_a_letter_edited_when_the_session_ends_is_given_back(store: Store) -> None:
    key = DialogKey("alice", "letter-acknowledgement", 1)
    app = app_for(store)
    async with app.run_test(size=(140, 50)) as pilot:
        await open_case(pilot)
        burst(pilot, "l", "enter")  # the acknowledgement
        await settle(pilot)
        assert isinstance(app.screen, LetterDialog)
        burst(pilot, *"PS : votre dossier est prioritaire.")
        await until(lambda: "prioritaire" in kept(store, key, "body"))
    app = app_for(store)
    async with app.run_test(size=(140, 50)) as pilot:
        await open_case(pilot)
        burst(pilot, "l", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LetterDialog)
        body = app.screen.query_one("#letter-body", TextArea).text
        assert "PS : votre dossier est prioritaire." in body and "Alice Martin" in body
        assert any(RESTORED in n.message for n in app._notifications)


async def test_quitting_keeps_what_was_typed_that_instant(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await note_dialog(pilot)
        burst(pilot, *"Dernier mot", "ctrl+q")
        await settle(pilot)
    draft = load_dialog_draft(store, NOTE)
    assert draft is not None and draft.form["text"] == "Dernier mot"


async def test_a_session_left_running_does_not_put_back_a_note_saved_elsewhere(
    store: Store,
) -> None:
    """SSH dropped while a note was typed; the old session runs on. A new session of the
    agent's gives the note back and saves it: the draft goes. When the old session ends, it
    does not put it back (the note would be offered again, and saved twice)."""
    from plaintes_tui.store.drafts import delete_dialog_draft

    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await note_typed(pilot, store, "Le fils rappelle lundi")
        delete_dialog_draft(store, NOTE)  # saved in the new session
        await pilot.press("ctrl+q")  # the old one ends
        await settle(pilot)
    assert load_dialog_draft(store, NOTE) is None


async def test_a_word_typed_on_the_case_file_leaves_the_draft_alone(store: Store) -> None:
    """``nom`` typed in one go opens the note's dialog and closes it again (typing meant for a
    field): the note given back in it stays kept for the next time."""
    save_dialog_draft(store, NOTE, {"text": "Le fils rappelle lundi"}, datetime(2026, 11, 28, 9))
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_case(pilot)
        burst(pilot, *"nom")
        await settle(pilot)
        assert not isinstance(app.screen, FormDialog)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one("#form-text", Input).value == "Le fils rappelle lundi"


async def test_a_draft_that_cannot_be_read_is_said_and_the_dialog_opens(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    def unreadable(*_: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr("plaintes_tui.tui.dialogs.drafted.load_dialog_draft", unreadable)
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await note_dialog(pilot)
        assert isinstance(app.screen, FormDialog)
        assert any(n.severity == "error" for n in app._notifications)
        burst(pilot, *"Rappel", "enter")
        await settle(pilot)
        assert journal_of(store, 1)[-1].note == "Rappel"


async def test_an_action_typed_on_its_own_screen_is_given_back(store: Store) -> None:
    """A new improvement action typed on the actions' screen (``i``, then ``n``) when the
    session ends: ``n`` there gives it back; saved, its draft goes."""
    from plaintes_tui.domain.access import Actor, Role
    from plaintes_tui.store.improvements import list_improvements
    from plaintes_tui.tui.screens.improvements import ImprovementsScreen

    chief = Actor("chef", Role.SUPERVISOR)
    key = DialogKey("chef", "improvement-new")

    async def new_action(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.push_screen(ImprovementsScreen())
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)

    app = PlaintesApp(Settings(), agent=chief, store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_action(pilot)
        burst(pilot, *"Motiver les refus")
        await until(lambda: kept(store, key, "title") == "Motiver les refus")
    app = PlaintesApp(Settings(), agent=chief, store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_action(pilot)
        assert app.screen.query_one("#form-title", Input).value == "Motiver les refus"
        assert any(RESTORED in n.message for n in app._notifications)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(lambda: load_dialog_draft(store, key) is None)
    assert [a.title for a in list_improvements(store, today=TODAY)] == ["Motiver les refus"]


async def test_why_a_message_is_set_aside_is_given_back(store: Store, isolated: Path) -> None:
    """The note typed on setting a message aside (``d`` in the inbox) when the session ends:
    ``d`` on the same message gives it back; its sender's file lists it meanwhile."""
    from plaintes_tui.store.drafts import mail_aside
    from plaintes_tui.store.mailbox import inbox
    from tests import mail_samples as samples
    from tests.test_inbox_screen import receive, set_aside_opened

    receive(store, isolated, samples.plain())
    (mail,) = inbox(store)
    key = DialogKey("alice", mail_aside(mail.id))

    app = app_for(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await set_aside_opened(pilot)
        burst(pilot, "down", "space", "tab", *"Déjà traité au guichet")
        await until(lambda: kept(store, key, "note") == "Déjà traité au guichet")
    app = app_for(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await set_aside_opened(pilot)
        assert app.screen.query_one("#form-note", Input).value == "Déjà traité au guichet"
        assert any(RESTORED in n.message for n in app._notifications)


async def test_a_correction_of_the_persons_record_is_given_back_over_a_colleagues(
    store: Store,
) -> None:
    """Alice's name correction is kept as she types, the session ends; Bob corrects the
    e-mail meanwhile. Given back, her draft puts back her name, not the e-mail she saw."""
    from plaintes_tui.domain.access import Actor
    from plaintes_tui.store.rectify import person_record, rectify

    key = DialogKey("alice", "rectify", 1)
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_case(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        name = app.screen.query_one("#form-last_name", Input).value
        burst(pilot, "end", *"-Dupont")
        await until(lambda: kept(store, key, "last_name") == f"{name}-Dupont")
    assert set(load_dialog_draft(store, key).form) == {"last_name"}  # type: ignore[union-attr]
    seen, _ = person_record(store, 1)
    rectify(store, 1, seen, {"email": "nouvelle@example.be"}, actor=Actor("bob"), now=NOW)
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_case(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert app.screen.query_one("#form-last_name", Input).value == f"{name}-Dupont"
        assert app.screen.query_one("#form-email", Input).value == "nouvelle@example.be"
        assert any(RESTORED in n.message for n in app._notifications)


def test_drafts_kept_before_the_other_dialogs_had_them_are_carried_over(isolated: Path) -> None:
    """A store whose case drafts were kept by case (version 28) keeps them when migrated."""
    import sqlite3

    from plaintes_tui.store.database import migrate, open_store
    from plaintes_tui.store.schema_version import SCHEMA_VERSION

    db = isolated / "old.db"
    with sqlite3.connect(db, isolation_level=None) as connection:
        migrate(connection, target=28)
        connection.execute(
            "INSERT INTO complainants (id, last_name, first_name, created_at, created_by) "
            "VALUES (1, 'Müller', 'Jürgen', '2026-01-01', 'x')"
        )
        connection.execute(
            "INSERT INTO cases (id, reference, complainant_id, channel, received, logged_at, "
            "logged_by, language, category, subject, status, acknowledgement_due, updated_at, "
            "updated_by, next_due) VALUES (1, 'P-2026-00001', 1, 'letter', '2026-01-05', "
            "'2026-01-07', 'x', 'de', 'other', 'Brief', 'received', '2026-01-12', "
            "'2026-01-07', 'x', '2026-01-12')"
        )
        connection.execute(
            "INSERT INTO case_drafts VALUES ('alice', 1, 'note', ?, '2026-11-28T09:00:00')",
            ('{"text": "Le fils rappelle lundi"}',),
        )
    connection.close()
    store = open_store(db)
    assert store.schema_version == SCHEMA_VERSION
    assert kept(store, NOTE, "text") == "Le fils rappelle lundi"
    store.close()
