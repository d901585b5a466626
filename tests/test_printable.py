"""Text people typed is shown, never obeyed: the one sanitiser, everywhere it is printed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.cells import cell_len
from textual.widgets import Static

from plaintes_tui.printable import one_line, printable, shortened
from plaintes_tui.settings import Settings
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.screens.case import CaseScreen
from tests.factories import add_case, new_store
from tests.pilot import settle
from tests.screen_text import rendered

TITLE_THE_TERMINAL = "\x1b]0;pwned\x07eve\x1b[31m"


def test_escapes_show_as_their_pictures() -> None:
    assert printable(TITLE_THE_TERMINAL) == "␛]0;pwned␇eve␛[31m"
    assert printable("a\u009bb") == "a\ufffdb"  # C1 CSI


def test_a_right_to_left_override_is_shown_not_obeyed() -> None:
    assert printable("Dubois\u202eetirép") == "Dubois\ufffdetirép"


def test_a_joined_emoji_takes_the_cells_it_is_counted_for() -> None:
    family = "Lea \U0001f469\u200d\U0001f4bb\ufe0f"  # woman technologist, joined
    shown = one_line(family)
    assert "\u200d" not in shown and "\ufe0f" not in shown
    assert cell_len(shown) == sum(cell_len(ch) for ch in shown)


def test_newlines_and_tabs_stay_in_long_text_and_leave_a_cell() -> None:
    assert printable("a\nb\tc") == "a\nb\tc"
    assert one_line("a\nb\tc") == "a b c"


def test_a_text_shortened_ends_in_an_ellipsis_its_lines_kept_or_not() -> None:
    assert shortened("Rue de la Loi\n16", 40) == "Rue de la Loi 16"
    assert shortened("Rue de la Loi\n16", 10) == "Rue de la…"
    assert shortened("Page 1\nPage 2\nPage 3", 15, lines=True) == "Page 1\nPage 2…"


async def test_an_agent_name_with_escapes_shows_literally_in_the_case_file(
    isolated: Path,
) -> None:
    store = new_store(isolated)
    add_case(store, date(2026, 11, 20), agent=TITLE_THE_TERMINAL)
    app = PlaintesApp(Settings(), agent=TITLE_THE_TERMINAL, store=store, today=date(2026, 11, 28))
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.push_screen(CaseScreen(1))
        await settle(pilot)
        journal = rendered(app.screen.query_one("#case-journal", Static))
        header = rendered(app.screen.query_one("#case-clocks", Static))
        assert "␛]0;pwned␇eve" in journal and "\x1b" not in journal
        assert "␛]0;pwned␇eve" in header and "\x1b" not in header
        assert "\x1b" not in app.sub_title
        app.notify(f"[red]{TITLE_THE_TERMINAL}")
        await pilot.pause()
        messages = [n.message for n in app._notifications]  # as typed: markup, escapes alike
        assert messages[-1] == "[red]␛]0;pwned␇eve␛[31m", messages
