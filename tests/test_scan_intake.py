"""Scanned letters into cases: the pile worked through from one form (each saved letter brings
the next one, its cursor on the first field to check, or on the list of subjects when
everything was read well — a digit and ctrl+s for a letter read whole), and the letter as read
shown beside the form, or over it on a narrow terminal."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from textual.screen import Screen
from textual.widgets import Input

from plaintes_tui.settings import IntakeSettings, Settings
from plaintes_tui.store.database import Store
from plaintes_tui.store.mailbox import inbox
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.screens.intake import IntakeScreen
from plaintes_tui.tui.widgets.scan_panel import ScanDialog
from tests.factories import TODAY, add_scan
from tests.pilot import burst, open_case, settle
from tests.screen_text import rendered

ZONE = ZoneInfo("Europe/Brussels")
PILE: list[tuple[int, dict[str, Any]]] = [  # (scanned on, what the OCR read)
    (24, {
        "last_name": "Peeters", "first_name": "Jan", "street": "Kerkstraat 14",
        "postal_code": "9000", "town": "Gent", "language": "nl",
        "subject": "Geen antwoord op mijn brief", "text": "Ik wacht sinds juni.",
        "confidence": {"last_name": 0.95, "street": 0.93, "town": 0.96},
    }),
    (25, {
        "last_name": "Lambert", "first_name": "Marie", "street": "Rue de Namur 3",
        "postal_code": "5000", "town": "Namor", "language": "fr",
        "subject": "Informations contradictoires", "text": "On m'a dit deux choses.",
        "confidence": {"last_name": 0.94, "town": 0.55},
    }),
    (26, {
        "last_name": "Schmitz", "first_name": "Anna", "street": "Hauptstraße 5",
        "postal_code": "4700", "town": "Eupen", "language": "de",
        "text": "Seit Monaten warte ich.", "confidence": {"last_name": 0.97},
        "lines": [[1, "Anna Schmitz", 0.97], [1, "Hauptstraße 5", 0.91],
                  [1, "4700 Eupen", 0.93], [1, "Seit Monaten [red]warte[/] ich.", 0.55],
                  [2, "Mit freundlichen Grüßen", 0.96]],
    }),
]  # fmt: skip


def mailroom(store: Store, isolated: Path) -> PlaintesApp:
    settings = Settings(
        output=isolated / "output",
        intake=IntakeSettings(channel_by_agent=(("courrier", "letter"),)),
    )
    return PlaintesApp(settings, agent="courrier", store=store, today=TODAY)


def pile(store: Store, isolated: Path) -> None:
    for day, reading in PILE:
        add_scan(store, isolated, reading, datetime(2026, 11, day, 9, tzinfo=ZONE), f"s{day}")


def offered(screen: Screen[object]) -> set[str]:
    return {b.binding.action for b in screen.active_bindings.values() if b.enabled}


def saved_letters(store: Store) -> list[tuple[str, str, str, str, str]]:
    return store.connection.execute(
        "SELECT p.last_name, p.town, c.received, c.channel, c.subject FROM cases AS c "
        "JOIN complainants AS p ON p.id = c.complainant_id ORDER BY c.id"
    ).fetchall()


async def test_the_pile_is_worked_through_from_one_form(store: Store, isolated: Path) -> None:
    pile(store, isolated)
    app = mailroom(store, isolated)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")  # the oldest letter
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        assert screen.focused is screen.query_one("#f-category")  # all read well
        await pilot.press("1", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # the form stays, with the next letter in it
        assert "25/11/2026" in str(screen.title)
        assert screen.query_one("#f-last_name", Input).value == "Lambert"
        assert "Lettre scannée suivante" in rendered(screen.query_one("#intake-result"))
        assert "2 en attente" in rendered(screen.query_one("#intake-result"))
        assert screen.focused is screen.query_one("#f-town")  # the doubt first
        await pilot.press("ctrl+a", "ctrl+k", *"Namur", "pagedown", "2", "ctrl+s")
        await settle(pilot)
        assert screen.query_one("#f-last_name", Input).value == "Schmitz"
        assert screen.focused is screen.query_one("#f-category")
        await pilot.press("3", *"Attente", "ctrl+s")  # no subject was read: typed
        await settle(pilot)
        assert screen.query_one("#f-last_name", Input).value == ""  # the pile is done
        assert "Lettre scannée suivante" not in rendered(screen.query_one("#intake-result"))
    assert saved_letters(store) == [
        ("Peeters", "Gent", "2026-11-24", "letter", "Geen antwoord op mijn brief"),
        ("Lambert", "Namur", "2026-11-25", "letter", "Informations contradictoires"),
        ("Schmitz", "Eupen", "2026-11-26", "letter", "Attente"),
    ]
    assert inbox(store) == []


async def test_keys_sent_at_once_through_the_pile_go_to_the_letters_in_turn(
    store: Store, isolated: Path
) -> None:
    """Over SSH the keys for two letters may arrive together: those after ctrl+s wait for
    the next letter's form, and each letter gets its own subject."""
    pile(store, isolated)
    app = mailroom(store, isolated)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, "e", "enter", "1", "ctrl+s", "pagedown", "4", "ctrl+s")
        for _ in range(200):  # bounded: until both are saved
            await settle(pilot)
            if len(saved_letters(store)) == 2:
                break
        await settle(pilot)
        assert app.screen.query_one("#f-last_name", Input).value == "Schmitz"
    subjects = store.connection.execute("SELECT category FROM cases ORDER BY id").fetchall()
    assert [p[0] for p in saved_letters(store)] == ["Peeters", "Lambert"]
    assert len({row[0] for row in subjects}) == 2  # the first and the fourth subject


async def test_the_letter_as_read_stands_beside_the_form_or_over_it(
    store: Store, isolated: Path
) -> None:
    pile(store, isolated)
    app = mailroom(store, isolated)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("e", "end", "enter")  # the letter whose lines were kept
        await settle(pilot)
        screen = app.screen
        panel = screen.query_one("#intake-letter")
        assert panel.display
        shown = rendered(screen.query_one("#letter-body"))
        assert "Seit Monaten [red]warte[/] ich." in shown  # the citizen's text, literally
        assert "page 2" in shown and "Mit freundlichen Grüßen" in shown
        assert "letter" in offered(screen)  # ctrl+o, on the key bar
        await pilot.press("ctrl+o")  # put away: the form takes the width
        await settle(pilot)
        assert not panel.display
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert panel.display
    async with mailroom(store, isolated).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("e", "enter")  # a letter read before lines were kept: its text
        await settle(pilot)
        assert not app.screen.query_one("#intake-letter").display  # no room beside
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, ScanDialog)
        assert "Ik wacht sinds juni." in rendered(app.screen.query_one("Static"))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.query_one("#f-last_name", Input).value == "Peeters"  # as it was


async def test_a_form_not_from_a_scan_offers_no_letter(store: Store, isolated: Path) -> None:
    app = mailroom(store, isolated)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert not app.screen.query_one("#intake-letter").display
        assert "letter" not in offered(app.screen)


async def test_the_case_file_shows_its_scanned_letter_as_read_and_where_its_pdf_is(
    store: Store, isolated: Path
) -> None:
    pile(store, isolated)
    app = mailroom(store, isolated)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e", "enter", "1", "ctrl+s")
        await settle(pilot)
        await pilot.press("escape", "o", "escape")  # the next letter left in the inbox
        await settle(pilot)
        case = await open_case(pilot)
        mail = rendered(case.query_one("#case-mail"))
        assert "lettre scannée" in mail and "lettre.pdf" in mail
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ScanDialog)
        shown = rendered(app.screen.query_one("Static"))
        assert "Lettre scannée le 24/11/2026" in shown and "Ik wacht sinds juni." in shown
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ScanDialog)  # back to the case file
        assert case.is_current


async def test_a_digit_typed_with_the_key_that_opens_a_letter_takes_its_subject(
    store: Store, isolated: Path
) -> None:
    """``e ↓ enter 1`` in one go (tmux, SSH): the form opened on the second letter puts the
    cursor on the subjects before the 1 is applied, so the 1 picks the first subject."""
    pile(store, isolated)
    app = mailroom(store, isolated)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, "e", "down", "down", "enter", "1")
        for _ in range(20):  # bounded: until the keys are applied
            await settle(pilot)
            if not app.keys_pending:
                break
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        assert screen.query_one("#f-last_name", Input).value == "Schmitz"
        assert screen.form()["category"] == "slow_reaction"
        assert screen.focused is screen.query_one("#f-subject")


def test_a_long_subject_read_on_a_letter_is_kept_whole(store: Store, isolated: Path) -> None:
    from plaintes_tui.tui.screens.intake_from_mail import scan_values

    subject = "Réclamation concernant " + "le traitement de mon dossier " * 12
    add_scan(store, isolated, {"subject": subject}, datetime(2026, 11, 27, 9, tzinfo=ZONE), "s")
    (mail,) = inbox(store)
    values, _ = scan_values(mail, {"language": "fr"})
    assert values["subject"] == subject and len(subject) > 300
