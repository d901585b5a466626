"""The home screen shown until the deadline queue takes its place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from plaintes_tui.i18n import long_date, tr

if TYPE_CHECKING:
    from plaintes_tui.tui.app import PlaintesApp


class HomeScreen(Screen[None]):
    app: PlaintesApp

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home-panel"):
            yield Static(tr("home.welcome"), classes="title", markup=False)
            yield Static(tr("home.today", today=long_date(self.app.today())), markup=False)
            yield Static(tr("home.coming"), markup=False)
            yield Static(tr("home.keys").strip("\n"), classes="keys", markup=False)
        yield Footer()
