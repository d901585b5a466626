"""Keys typed in one go on the queue (tmux, SSH, a fast hand) act on the list the keys before
them asked for: a filter, a sort or a search is shown before enter opens a case."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from plaintes_tui.domain.cases import Channel
from plaintes_tui.settings import Settings
from plaintes_tui.store.database import Store
from plaintes_tui.store.queue_source import QueueSource
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.screens.case import CaseScreen
from plaintes_tui.tui.screens.intake import IntakeScreen
from plaintes_tui.tui.screens.queue import QueueScreen
from tests.factories import add_case, new_store, person
from tests.pilot import burst, settle

TODAY = date(2026, 11, 27)  # a Friday


@pytest.fixture
def store(isolated: Path) -> Store:
    store = new_store(isolated)
    add_case(store, date(2026, 11, 25), complainant=person(last_name="Aerts"))
    add_case(store, date(2026, 11, 10), complainant=person(last_name="Peeters"))  # most urgent
    add_case(
        store,
        date(2026, 11, 20),
        channel=Channel.LETTER,
        complainant=person(last_name="Rauw", phone=None, email=None),
    )
    return store


def opened(app: PlaintesApp) -> str:
    assert isinstance(app.screen, CaseScreen), type(app.screen).__name__
    assert app.screen.case is not None
    return app.screen.case.complainant.last_name


async def test_a_search_typed_and_entered_in_one_go_opens_the_case_found(store: Store) -> None:
    """``/rauw`` enter enter, sent at once: the second enter opens Rauw's case, not the first
    case of the list as it was before the search filtered it — as when typed slowly."""
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, "slash", *"rauw", "enter", "enter")
        await settle(pilot)
        assert opened(app) == "Rauw"


async def test_a_filter_key_and_enter_in_one_go_open_a_case_of_the_filtered_list(
    store: Store,
) -> None:
    """``c c enter`` (the letters, then open) and ``R enter`` (the order reversed, then open)
    sent at once open the first case of the list the keys asked for."""
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, "c", "c", "enter")
        await settle(pilot)
        assert opened(app) == "Rauw"
        burst(pilot, "escape", "escape", "R", "enter")
        await settle(pilot)
        assert opened(app) == "Aerts"
        burst(pilot, "escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_keys_after_a_list_that_failed_to_read_go_at_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``o`` asks for the overdue cases and the read fails: the failure is shown, the table
    keeps its rows, and the ``F2`` typed after it opens the form now, not after the bound
    the keys wait at most."""
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        class Unreadable(QueueSource):
            def count(self) -> int:
                raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr("plaintes_tui.tui.screens.queue.QueueSource", Unreadable)
        burst(pilot, "o", "f2")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen), type(app.screen).__name__
        assert not app.keys_pending
        assert any("disk I/O error" in str(n.message) for n in app._notifications)
