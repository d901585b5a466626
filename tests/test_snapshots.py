"""Snapshot tests: each screen at a fixed size, with a frozen date. Update with
``pytest --snapshot-update`` after a deliberate change, and look at the new SVGs."""

from datetime import date
from typing import Any

from plaintes_tui.settings import Settings
from plaintes_tui.tui.app import PlaintesApp

TODAY = date(2026, 11, 28)


def test_home_screen(snap_compare: Any) -> None:
    app = PlaintesApp(Settings(), agent="alice", today=TODAY)
    assert snap_compare(app, terminal_size=(100, 30))
