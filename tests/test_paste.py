"""A text pasted into a one-line field is kept whole: its lines joined, the agent told."""

from __future__ import annotations

from datetime import date

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.widgets import Input

from plaintes_tui.settings import Settings
from plaintes_tui.store.cases import get_case
from plaintes_tui.store.database import Store
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.pastes import pasted_line, pasted_text, whole_pastes
from plaintes_tui.tui.widgets.queue_table import QueueTable
from tests.factories import TODAY, add_case, person
from tests.pilot import burst, open_form, paste, settle
from tests.pilot import intake_screen as screen

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
        ("Rue\tde la Loi", ("Rue de la Loi", 1)),
    ],
)
def test_a_paste_on_one_line(text: str, expected: tuple[str, int]) -> None:
    assert pasted_line(text) == expected


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


async def test_a_search_pasted_on_the_list_finds_the_case(store: Store) -> None:
    """A name copied with its line breaks, pasted on the list or into the search: searched
    whole (Textual's own field kept nothing of a paste starting with a line break)."""
    rauw = add_case(store, date(2026, 11, 20), complainant=person(last_name="Rauw"))
    lejeune = add_case(store, date(2026, 11, 23), complainant=person(last_name="Lejeune"))
    app = _app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        paste(pilot, "\nRauw\n")  # the list has the focus
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        assert [row.id for row in table.visible_rows()] == [rauw["id"]]
        burst(pilot, "escape", "slash")
        paste(pilot, "\nLejeune\n")
        burst(pilot, "enter")
        await settle(pilot)
        assert app.screen.query_one("#queue-search", Input).value == "Lejeune"
        assert [row.id for row in table.visible_rows()] == [lejeune["id"]]
        assert not app._notifications  # one line each: nothing to tell


async def test_a_paste_where_no_field_takes_it_is_said(store: Store) -> None:
    add_case(store, date(2026, 11, 20), complainant=person(last_name="Rauw"))
    app = _app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, "enter")  # the case file: keys, no field
        await settle(pilot)
        paste(pilot, "Appel du fils")
        await settle(pilot)
        assert [n.message for n in app._notifications] == [
            "Rien n'a été collé : placez-vous d'abord dans un champ de saisie."
        ]


async def test_a_description_pasted_keeps_its_lines(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        burst(pilot, *"Peeters", "pagedown", "3", *"Brochure", "enter")
        paste(pilot, "Page 2 illisible.\nPage 3 manquante.")
        burst(pilot, "ctrl+s")
        await settle(pilot)
        assert get_case(store, 1)["description"] == "Page 2 illisible.\nPage 3 manquante."
        assert not any("coll" in n.message for n in app._notifications)


async def test_a_paste_loses_its_escape_sequences_and_keeps_its_lines(store: Store) -> None:
    """Terminals send a pasted line break as a carriage return; an escape sequence in a paste
    is never drawn nor kept: the field shows what the store will hold."""
    app = _app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        paste(pilot, "Du\x1b[31mpont\x07")
        burst(pilot, "pagedown", "3", *"Brochure", "enter")
        paste(pilot, "Page 2\x1b[2J illisible.\rPage 3 manquante.")
        await settle(pilot)
        assert screen(app).form()["last_name"] == "Dupont"
        burst(pilot, "ctrl+s")
        await settle(pilot)
        assert get_case(store, 1)["description"] == "Page 2 illisible.\nPage 3 manquante."


def _read(*reads: str) -> list[str]:
    """What the terminal parser makes of ``reads``: each key's name, each paste's text as a
    field keeps it (``paste:…``)."""
    whole_pastes()
    parser = XTermParser()
    tokens = [event for data in (*reads, "") for event in parser.feed(data)]
    return [
        f"paste:{pasted_text(event.text)}" if isinstance(event, events.Paste) else event.key
        for event in tokens
        if isinstance(event, events.Paste | events.Key)
    ]


SENT = "a\x1b[200~Du\x1b[31mpont\x1b[0m\rRue\x1b[201~b"


def test_the_parser_reads_a_paste_holding_escapes_whole_and_in_place() -> None:
    """Textual alone typed the sequence's characters before the paste (^[31mpont…Du)."""
    assert _read(SENT) == ["a", "paste:Dupont\nRue", "b"]


@pytest.mark.parametrize("cut", range(1, len(SENT)))
def test_a_paste_split_between_two_reads_is_read_the_same(cut: int) -> None:
    assert _read(SENT[:cut], SENT[cut:]) == ["a", "paste:Dupont\nRue", "b"]
