"""The installed command rests Python's collector while it starts, and turns it back on."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from importlib.metadata import entry_points

import pytest

from plaintes_tui.launch import main as launched
from plaintes_tui.settings import Settings
from plaintes_tui.store.database import Store
from plaintes_tui.tui.app import PlaintesApp
from tests.pilot import settle


@pytest.fixture
def collector() -> Iterator[None]:
    """Whatever a test does to the collector, the next test finds it running, nothing frozen."""
    yield
    gc.unfreeze()
    gc.enable()


def test_the_installed_command_is_the_launcher() -> None:
    (script,) = entry_points(group="console_scripts", name="plaintes")
    assert script.value == "plaintes_tui.launch:main"


def test_a_command_turns_the_collector_back_on_once_its_words_are_read(
    collector: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert launched(["deadlines", "2026-12-18"]) == 0
    assert "28 décembre 2026" in capsys.readouterr().out
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # a command sets nothing aside: it may run for hours


async def test_the_app_turns_it_back_on_once_warmed_up_with_start_up_set_aside(
    collector: None, store: Store
) -> None:
    gc.disable()  # as the launcher leaves it when the app starts
    app = PlaintesApp(Settings(), agent="alice", store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the warm-up worker included
        assert gc.isenabled()
        assert gc.get_freeze_count() > 1000  # the modules, classes and widgets of start-up


async def test_an_app_started_otherwise_leaves_the_collector_as_it_was(
    collector: None, store: Store
) -> None:
    app = PlaintesApp(Settings(), agent="alice", store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0
