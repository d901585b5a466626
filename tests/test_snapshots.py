"""Snapshot tests: each screen at a fixed size, on a demo store, with a frozen date.

After a deliberate change to a screen: ``.venv/bin/pytest --snapshot-update``, look at the new
SVGs in ``tests/__snapshots__``, then ``make screenshots``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from plaintes_tui.settings import Settings
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.demo import generate_demo
from plaintes_tui.tui.app import PlaintesApp
from tests.factories import CALCULATOR
from tests.pilot import settle

TODAY = date(2026, 11, 28)


@pytest.fixture
def demo(isolated: Path) -> Store:
    store = open_store(isolated / "demo.db", create=True)
    generate_demo(store, cases=400, seed=1, today=TODAY, calculator=CALCULATOR)
    return store


def app_on(store: Store) -> PlaintesApp:
    return PlaintesApp(Settings(), agent="amartin", store=store, today=TODAY)


def test_queue(snap_compare: Any, demo: Store) -> None:
    assert snap_compare(app_on(demo), terminal_size=(150, 36), run_before=settle)


def test_queue_small_terminal_filtered(snap_compare: Any, demo: Store) -> None:
    async def overdue(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)

    assert snap_compare(app_on(demo), terminal_size=(80, 24), run_before=overdue)


def test_case_detail(snap_compare: Any, demo: Store) -> None:
    async def open_second(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()

    assert snap_compare(app_on(demo), terminal_size=(120, 40), run_before=open_second)


def test_intake_empty(snap_compare: Any, demo: Store) -> None:
    async def open_form(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)

    assert snap_compare(app_on(demo), terminal_size=(130, 42), run_before=open_form)


def test_intake_filled_with_a_known_complainant(snap_compare: Any, demo: Store) -> None:
    (phone,) = demo.connection.execute(
        "SELECT phone FROM complainants WHERE phone LIKE '+324%' ORDER BY id LIMIT 1"
    ).fetchone()

    async def fill(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"Dubois", "enter", *"Marie", "enter", *phone, "enter")
        await pilot.press(*"marie@", "enter")
        await settle(pilot)

    assert snap_compare(app_on(demo), terminal_size=(130, 42), run_before=fill)


def test_admissibility_question(snap_compare: Any, demo: Store) -> None:
    async def ask(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("a", "n")
        await pilot.pause()

    assert snap_compare(app_on(demo), terminal_size=(120, 36), run_before=ask)


def test_admissibility_summary(snap_compare: Any, demo: Store) -> None:
    async def decide(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("a", "n", "o")
        await pilot.pause()

    assert snap_compare(app_on(demo), terminal_size=(120, 36), run_before=decide)


def test_dashboard(snap_compare: Any, demo: Store) -> None:
    async def open_dashboard(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(app_on(demo), terminal_size=(130, 60), run_before=open_dashboard)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_letter_kinds_and_letter(snap_compare: Any, demo: Store, size: tuple[int, int]) -> None:
    """The kinds with their reasons, then the acknowledgement as it will leave."""

    async def letter(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app_on(demo), terminal_size=size, run_before=letter)


def test_letter_kinds_with_reasons(snap_compare: Any, demo: Store) -> None:
    async def kinds(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)

    assert snap_compare(app_on(demo), terminal_size=(80, 24), run_before=kinds)
