"""Complainants living abroad: a country (Belgium by default), postal codes by its format, the
country line on the letter."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from plaintes_tui.domain.cases import Language
from plaintes_tui.domain.intake import check_form
from plaintes_tui.domain.letters import LetterKind
from plaintes_tui.domain.validation import InvalidValue, normalise_country, normalise_postal_code
from plaintes_tui.settings import Settings
from plaintes_tui.store.cases import get_case
from plaintes_tui.store.database import Store
from plaintes_tui.tui.app import PlaintesApp
from tests.factories import TODAY, add_case, person
from tests.pilot import burst, open_form, settle
from tests.pilot import intake_screen as screen
from tests.test_intake_screen import error
from tests.test_letters import draft, produce


@pytest.mark.parametrize(
    ("typed", "code"),
    [("", ""), ("Belgique", ""), ("Allemagne", "DE"), ("duitsland", "DE"), ("nl", "NL"),
     ("Frankreich", "FR"), ("Luxembourg", "LU")],
)  # fmt: skip
def test_a_country_by_its_name_in_any_language_or_its_code(typed: str, code: str) -> None:
    assert normalise_country(typed) == code


def test_postal_codes_follow_the_country() -> None:
    assert normalise_postal_code("1000") == "1000"
    assert normalise_postal_code("52062", "DE") == "52062"
    assert normalise_postal_code("6211 ab", "NL") == "6211 AB"
    assert normalise_postal_code("SW1A 1AA", "GB") == "SW1A 1AA"  # kept as typed elsewhere
    for code, country in (("52062", "BE"), ("1000", "DE"), ("62110", "NL")):
        with pytest.raises(InvalidValue):
            normalise_postal_code(code, country)
    with pytest.raises(InvalidValue):
        normalise_country("Atlantide")


def test_a_foreign_postal_code_is_refused_without_its_country() -> None:
    raw = {"last_name": "Schmitz", "subject": "x", "received": "28/11/2026", "postal_code": "52062"}
    assert check_form(raw, TODAY).errors == {"postal_code": "validation.postal_code"}
    checked = check_form({**raw, "country": "Allemagne"}, TODAY)
    assert checked.errors == {} and checked.values["country"] == "DE"


def test_the_letter_to_an_address_abroad_ends_with_the_country(
    store: Store, isolated: Path
) -> None:
    schmitz = person(
        last_name="Schmitz",
        language=Language.DE,
        street="Pontstraße 12",
        postal_code="52062",
        town="Aachen",
        country="DE",
    )
    added = add_case(store, date(2026, 12, 4), language=Language.DE, complainant=schmitz)
    case = get_case(store, added["id"])
    letter = draft(store, case, LetterKind.ACKNOWLEDGEMENT).letter
    produced = produce(store, case, LetterKind.ACKNOWLEDGEMENT, letter, output_folder=isolated)
    text = PdfReader(produced.files[0]).pages[0].extract_text()
    assert "52062 Aachen\nDEUTSCHLAND" in text


async def test_typed_on_screen(store: Store) -> None:
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        burst(pilot, *"Schmitz", "enter", "enter", "enter", "enter", *"Pontstraße 12", "enter")
        burst(pilot, *"52062", "enter", *"Aachen", "enter")
        await settle(pilot)
        assert "code postal belge" in error(app, "postal_code")
        burst(pilot, *"allemagne", "enter")
        await settle(pilot)
        assert error(app, "postal_code") == ""
        assert screen(app).form()["country"] == "Allemagne"
        screen(app).query_one("#f-subject").focus()
        burst(pilot, *"Brief", "ctrl+s")
        await settle(pilot)
        assert store.connection.execute("SELECT country FROM complainants").fetchone() == ("DE",)
