"""The key bar: the screen's keys on one line; a key clicked is a key pressed."""

from __future__ import annotations

from plaintes_tui.settings import Settings
from plaintes_tui.store.database import Store
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.screens.intake import IntakeScreen
from plaintes_tui.tui.widgets.footer import KeyBar
from tests.pilot import settle
from tests.screen_text import rendered


def app_for(store: Store) -> PlaintesApp:
    return PlaintesApp(Settings(), agent="alice", store=store)


async def test_the_bar_shows_each_key_once_and_the_palette_on_the_right(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        line = rendered(bar)
        assert line.startswith(" ⏎ Ouvrir  / Chercher  a Recevabilité ")
        assert line.endswith("▏^p commandes")
        assert bar.placed[-1].key.palette and bar.placed[-1].end == 160  # against the edge
        actions = [placed.key.key for placed in bar.placed]
        assert len(actions) == len(set(actions))  # one key an action, as Textual's footer


async def test_narrow_the_keys_pack_closer_and_the_palette_is_left_out(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = rendered(app.screen.query_one(KeyBar))
        assert line.startswith("⏎ Ouvrir / Chercher a Recevabilité o En retard ")
        assert "f2 Nouvelle" in line
        assert "commandes" not in line


async def test_a_key_clicked_is_a_key_pressed(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        new = next(placed for placed in bar.placed if placed.key.key == "f2")
        assert await pilot.click(KeyBar, offset=(new.start + 1, 0))
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert "^s Enregistrer" in rendered(app.screen.query_one(KeyBar))  # the form's keys
