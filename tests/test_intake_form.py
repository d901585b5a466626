"""Checking what an agent types, one field at a time (pure domain rules)."""

from datetime import date

import pytest

from plaintes_tui.domain.intake import check_field, check_form, needs_old_date_confirmation
from plaintes_tui.domain.validation import InvalidValue
from tests.factories import TODAY


@pytest.mark.parametrize(
    ("name", "typed", "kept"),
    [
        ("phone", "0477 84 86 64", "+32477848664"),
        ("phone", "+32 477 84 86 64", "+32477848664"),
        ("phone", "02/528.60.31", "+3225286031"),
        ("email", " Helene.Dubois@Example.be ", "Helene.Dubois@example.be"),
        ("niss", "85.07.30-033.28", "85073003328"),
        ("postal_code", "1000", "1000"),
        ("received", "28/11/2026", "2026-11-28"),
        ("received", "3/11", "2026-11-03"),
        ("received", "27.11.26", "2026-11-27"),
        ("received", "hier", "2026-11-27"),
        ("received", "2026-10-01", "2026-10-01"),
        ("first_name", "", ""),
        ("phone", "", ""),
    ],
)
def test_accepted_values_are_normalised(name: str, typed: str, kept: str) -> None:
    assert check_field(name, typed, TODAY) == kept


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("last_name", "  ", "intake.error_last_name"),
        ("subject", "", "intake.error_subject"),
        ("phone", "0477 84", "validation.phone"),
        ("phone", "bonjour", "validation.phone"),
        ("email", "helene@", "validation.email"),
        ("niss", "85.07.30-033", "validation.niss_length"),
        ("niss", "85.07.30-033.29", "validation.niss_checksum"),
        ("postal_code", "999", "validation.postal_code"),
        ("postal_code", "9999", "validation.postal_code"),
        ("received", "31/02/2026", "intake.error_date"),
        ("received", "demain", "intake.error_date"),
        ("received", "29/11/2026", "intake.error_date_future"),
        ("received", "", "intake.error_date_missing"),
    ],
)
def test_refused_values_say_why(name: str, typed: str, message: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        check_field(name, typed, TODAY)
    assert refused.value.key == message


def test_a_form_without_phone_or_email_is_accepted_and_flagged() -> None:
    checked = check_form(
        {"last_name": "Peeters", "received": "20/11/2026", "subject": "Brief", "channel": "letter"},
        TODAY,
    )
    assert checked.errors == {}
    assert checked.contact_incomplete
    assert checked.received == date(2026, 11, 20)


def test_old_dates_ask_for_confirmation() -> None:
    assert not needs_old_date_confirmation(date(2026, 10, 29), TODAY)
    assert needs_old_date_confirmation(date(2026, 10, 28), TODAY)
