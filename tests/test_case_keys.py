"""Keys typed in one go on the case file (tmux, SSH, a fast hand) apply in order, each on
what the keys before it left on screen: a save, then the next action on the saved case."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual import events

from plaintes_tui.settings import Settings
from plaintes_tui.store.cases import get_case, journal_of
from plaintes_tui.store.database import Store
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.dialogs.form import FormDialog
from plaintes_tui.tui.screens.case import CaseScreen
from plaintes_tui.tui.screens.inbox import InboxScreen
from plaintes_tui.tui.screens.queue import QueueScreen
from tests.factories import TODAY, add_admissible_case, new_store
from tests.pilot import burst, open_case, settle


@pytest.fixture
def store(isolated: Path) -> Store:
    store = new_store(isolated)
    add_admissible_case(store, date(2026, 11, 20))
    return store


def notes(store: Store) -> list[str]:
    case = get_case(store, "P-2026-00001")
    return [e.note for e in journal_of(store, case["id"]) if e.action == "note"]


async def test_a_save_and_the_next_note_in_one_go_both_land(store: Store) -> None:
    """ctrl+s and n sent at once: the n waits until the saved case is shown, so the second
    note is written on the case as it now stands — never refused as changed meanwhile."""
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Premier appel")
        burst(pilot, "ctrl+s", "n")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"Second appel")
        burst(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert notes(store) == ["Premier appel", "Second appel"]
        assert not any(n.severity == "error" for n in app._notifications)


async def test_escape_and_a_letter_arriving_together_are_two_keys(store: Store) -> None:
    """``esc e`` sent in one go reaches the app as the terminal reads it, alt+e: it is
    escape, back to the queue, then e, its inbox — as when typed slowly."""
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot)
        assert app._driver is not None
        app._driver.send_message(events.Key("alt+e", "e"))
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        assert isinstance(app.screen_stack[-2], QueueScreen)
