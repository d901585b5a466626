"""The Textual application: screens are pushed on top of the home screen."""

from __future__ import annotations

from datetime import date

from textual.app import App
from textual.binding import Binding

from plaintes_tui.i18n import tr
from plaintes_tui.settings import Settings
from plaintes_tui.tui.screens.home import HomeScreen


class PlaintesApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Plaintes"
    BINDINGS = [
        Binding("ctrl+q", "quit", tr("app.quit"), id="quit", priority=True),
    ]

    def __init__(self, settings: Settings, *, agent: str, today: date | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.agent = agent
        self._today = today
        self.sub_title = agent

    def today(self) -> date:
        """The service's date: frozen in tests and screenshots, the local date otherwise."""
        return self._today or self.settings.today()

    def on_mount(self) -> None:
        self.title = tr("app.title")
        self.push_screen(HomeScreen())
