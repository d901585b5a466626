"""A text pasted into a one-line field is kept whole: its lines joined, the agent told."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from plaintes_tui.settings import Settings
from plaintes_tui.store.cases import get_case
from plaintes_tui.store.database import Store
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.widgets.line_input import one_line
from tests.factories import TODAY
from tests.pilot import burst, open_form, paste, settle

JOINED = "Texte collé sur une seule ligne : 2 lignes réunies."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rue de la Loi 16", ("Rue de la Loi 16", 1)),
        ("28/11/2026\n", ("28/11/2026", 1)),  # copied with its line break
        ("\nRauw\n", ("Rauw", 1)),  # Textual's own field kept nothing of this one
        ("Rue de la Loi 16\r\n1000 Bruxelles", ("Rue de la Loi 16 1000 Bruxelles", 2)),
        ("  a \n\n\t b  \n", ("a b", 2)),
        ("", ("", 1)),
    ],
)
def test_a_paste_on_one_line(text: str, expected: tuple[str, int]) -> None:
    assert one_line(text) == expected


def _app(store: Store) -> PlaintesApp:
    return PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)


async def test_an_address_pasted_into_the_street_keeps_its_town(store: Store) -> None:
    """Pasted between typed keys, as it arrives: nothing of it lost, in the order it came."""
    app = _app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        burst(pilot, *"Peeters", "tab", "tab", "tab", "tab")
        paste(pilot, "Rue de la Loi 16\n1000 Bruxelles\n")
        burst(pilot, *" (3e)", "pagedown", "3", *"Brochure", "ctrl+s")
        await settle(pilot)
        case = get_case(store, 1)
        (street,) = store.connection.execute(
            "SELECT street FROM complainants WHERE id = ?", (case["complainant_id"],)
        ).fetchone()
        assert street == "Rue de la Loi 16 1000 Bruxelles (3e)"
        assert JOINED in [n.message for n in app._notifications]


async def test_a_search_pasted_with_its_line_breaks_finds_the_case(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, "slash")
        paste(pilot, "\nRauw\n")
        await settle(pilot)
        assert app.screen.query_one("#queue-search", Input).value == "Rauw"
        assert not app._notifications  # one line: nothing to tell
