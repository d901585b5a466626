"""Keys typed in one go on the case file (tmux, SSH, a fast hand) apply in order, each on
what the keys before it left on screen: a save, then the next action on the saved case."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual import events
from textual._xterm_parser import XTermParser

from plaintes_tui.settings import Settings
from plaintes_tui.store.cases import get_case, journal_of
from plaintes_tui.store.database import Store
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.dialogs.form import FormDialog
from plaintes_tui.tui.screens.case import CaseScreen
from plaintes_tui.tui.screens.inbox import InboxScreen
from plaintes_tui.tui.screens.queue import QueueScreen
from plaintes_tui.tui.typed_keys import as_typed, keep_escapes
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


@pytest.mark.parametrize(
    ("sent", "keys"),
    [
        ("\x1b/", ["escape", "slash"]),  # Textual alone: slash, the escape lost
        ("\x1b?", ["escape", "question_mark"]),
        ("\x1b\r", ["escape", "enter"]),
        ("\x1b ", ["escape", "space"]),
        ("\x1b1", ["escape", "1"]),  # Textual alone: ¡
        ("\x1be", ["escape", "e"]),
        ("\x1bA", ["escape", "A"]),
        ("\x1b\x1b", ["escape", "escape"]),
        ("\x1b[A", ["up"]),  # a key's own sequence stays that key
        # escape and a letter, then escape again before the escape delay (esc n esc):
        # Textual alone reads the first escape as a ^ typed
        ("\x1bn\x1b", ["escape", "n", "escape"]),
        ("x\x1bn\x7f\x1b", ["x", "escape", "n", "backspace", "escape"]),
        ("\x1b" + "a" * 40, ["escape", *["a"] * 40]),  # a word typed on after escape
        ("\x1bf", ["ctrl+right"]),  # as terminals mean it: a word right
        ("/", ["slash"]),
    ],
)
def test_the_terminal_parser_keeps_an_escape_typed_with_the_next_key(
    sent: str, keys: list[str]
) -> None:
    keep_escapes()
    parser = XTermParser()
    read = [*parser.feed(sent), *parser.feed("")]  # the end of input: no escape delay waited
    assert [
        key.key for event in read if isinstance(event, events.Key) for key in as_typed(event)
    ] == keys


async def test_escape_and_slash_arriving_together_are_two_keys(store: Store) -> None:
    """``esc /`` sent in one go: back to the queue, then its search, as when typed slowly."""
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot)
        assert app._driver is not None
        app._driver.send_message(events.Key("alt+slash", "/"))
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert app.focused is app.screen.query_one("#queue-search")


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
