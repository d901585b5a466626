"""The title bar: the screen's title and the agent, centred; a click on the icon opens the
palette; an agent's login shows as written, markup included."""

from __future__ import annotations

from textual.command import CommandPalette

from plaintes_tui.settings import Settings
from plaintes_tui.store.database import Store
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.widgets.title_bar import CLOCK_WIDTH, ICON_WIDTH, TitleBar
from tests.pilot import settle
from tests.screen_text import rendered


async def test_the_title_and_the_agent_are_centred_between_icon_and_clock(store: Store) -> None:
    app = PlaintesApp(Settings(), agent="[b]alice[/b]", store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = rendered(app.screen.query_one(TitleBar))
        assert line.startswith(" ⭘      ")
        words = "File des échéances — [b]alice[/b]"
        assert words in line  # literally: a login is never markup
        middle = 80 - ICON_WIDTH - CLOCK_WIDTH
        assert line.index(words) == ICON_WIDTH + (middle - len(words)) // 2


async def test_a_title_too_long_ends_with_an_ellipsis(store: Store) -> None:
    app = PlaintesApp(Settings(), agent="a" * 100, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = rendered(app.screen.query_one(TitleBar))
        assert line.endswith("…")
        assert len(line) == 80 - CLOCK_WIDTH


async def test_the_icon_opens_the_palette_and_elsewhere_the_bar_grows(store: Store) -> None:
    app = PlaintesApp(Settings(), agent="alice", store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(TitleBar)
        assert await pilot.click(TitleBar, offset=(40, 0))
        await settle(pilot)
        assert bar.outer_size.height == 3
        assert await pilot.click(TitleBar, offset=(1, 1))
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)


async def test_hovering_the_bars_changes_no_word(store: Store) -> None:
    """The icon and a key are lit under the mouse, the text unchanged; a key's tooltip shows."""
    from plaintes_tui.tui.widgets.footer import KeyBar

    app = PlaintesApp(Settings(), agent="alice", store=store)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        title, keys = app.screen.query_one(TitleBar), app.screen.query_one(KeyBar)
        before = rendered(title), rendered(keys)
        await pilot.hover(TitleBar, offset=(1, 0))
        await pilot.hover(KeyBar, offset=(keys.placed[-1].start + 1, 0))  # the palette's key
        await settle(pilot)
        assert (rendered(title), rendered(keys)) == before
        assert keys.tooltip == "Ouvrir la palette des commandes"
