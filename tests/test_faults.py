"""Failures never end the app: the store turning read-only, a bug in a worker."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from plaintes_tui.settings import Settings
from plaintes_tui.store import database
from plaintes_tui.store.database import Store
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.screens.intake import IntakeScreen
from tests.factories import TODAY
from tests.pilot import settle


def make_read_only(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, every connection to the store refuses to write, as SQLite does with a
    file that has become read-only (root, who runs CI, ignores file permissions)."""
    for connection in store._opened:
        connection.execute("PRAGMA query_only = ON")
    real_connect = database.connect

    def read_only_connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
        connection = real_connect(path, read_only=read_only)
        connection.execute("PRAGMA query_only = ON")
        return connection

    monkeypatch.setattr(database, "connect", read_only_connect)


async def start_a_call(pilot: Pilot[None], first_name: str) -> None:
    """The intake form, a caller's name and phone typed, the subject filled in."""
    await settle(pilot)
    await pilot.press("f2")
    await settle(pilot)
    await pilot.press(*"Dubois", "enter", *first_name, "enter", *"0477848664", "enter")
    pilot.app.screen.query_one("#f-subject", Input).value = "Pas de réponse"


async def test_a_store_turned_read_only_keeps_the_text_and_the_app(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(150, 50)) as pilot:
        await start_a_call(pilot, "Marie")
        await settle(pilot)
        make_read_only(store, monkeypatch)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        form = app.screen
        assert form.query_one("#f-last_name", Input).value == "Dubois"
        assert form.query_one("#f-phone", Input).value == "0477 84 86 64"
        messages = [n.message for n in app._notifications]
        assert any(
            "pas été enregistrée" in m and "lecture seule" in m and "saisie est gardée" in m
            for m in messages
        ), messages
        await pilot.press("escape")  # the app still answers keys
        await settle(pilot)
        assert app.is_running
    assert store.connection.execute("SELECT count(*) FROM cases").fetchone() == (0,)


async def test_a_bug_in_a_worker_is_shown_logged_and_the_text_kept(
    store: Store, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero in the save")

    monkeypatch.setattr("plaintes_tui.tui.screens.intake.create_case", broken)
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(150, 50)) as pilot:
        await start_a_call(pilot, "[red]Marie")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.query_one("#f-first_name", Input).value == "[red]Marie"
        messages = [n.message for n in app._notifications]
        assert any("ZeroDivisionError" in m and "plaintes.log" in m for m in messages), messages
        assert app.is_running
    log = (isolated / "plaintes.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "division by zero in the save" in log
