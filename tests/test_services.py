"""The service concerned: the part of the FPS a complaint is about, set through the one door,
journaled, and covered by the case's state digest (a value written behind the program's back
is found by verify)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

import pytest

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.workflow import Move
from plaintes_tui.store.cases import get_case, journal_of
from plaintes_tui.store.database import Store
from plaintes_tui.store.verify import verify_store
from tests.factories import add_case, do


def test_the_service_is_set_and_corrected_through_the_door(store: Store) -> None:
    case = add_case(store, date(2026, 11, 20))
    assert case["service"] is None
    do(store, case["id"], Move.SERVICE, service="dg_self_employed")
    do(store, case["id"], Move.SERVICE, service="dg_handicap")
    assert get_case(store, case["id"])["service"] == "dg_handicap"
    changes = [e.changes.get("service") for e in journal_of(store, case["id"])][-2:]
    assert changes == [[None, "dg_self_employed"], ["dg_self_employed", "dg_handicap"]]
    assert journal_of(store, case["id"])[-1].action == "service_set"
    assert verify_store(store).ok, verify_store(store).problems


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE cases SET service = 'dg_other' WHERE service IS NOT NULL",
        "UPDATE cases SET service = NULL",
        "UPDATE cases SET service = 'dg_other' WHERE service IS NULL",
    ],
)
def test_a_service_written_behind_the_programs_back_is_found(store: Store, statement: str) -> None:
    """Set, cleared, or set on a case that had none: each breaks the case's state digest; the
    states journaled before the column existed still verify."""
    set_one = add_case(store, date(2026, 11, 20))
    add_case(store, date(2026, 11, 21))
    do(store, set_one["id"], Move.SERVICE, service="dg_handicap")
    assert verify_store(store).ok
    connection = sqlite3.connect(store.path, isolation_level=None)
    connection.execute(statement)
    connection.close()
    found = verify_store(store).problems
    assert any("n'est plus tel que son journal le dit" in problem for problem in found), found


async def test_the_case_file_sets_the_service_suggested_by_the_category(store: Store) -> None:
    """`s` in the case file offers the settings' active services, starting on the one the
    case's category maps to; the choice is saved, shown by its name, and journaled so."""
    from plaintes_tui.domain.access import Actor
    from plaintes_tui.domain.cases import Category
    from plaintes_tui.settings import Settings
    from plaintes_tui.tui.app import PlaintesApp
    from plaintes_tui.tui.dialogs.form import FormDialog
    from plaintes_tui.tui.screens.case import CaseScreen
    from tests.factories import TODAY
    from tests.pilot import settle
    from tests.screen_text import rendered

    case = add_case(store, date(2026, 11, 20), category=Category.UNCLEAR_PUBLICATION)
    app = PlaintesApp(Settings(), agent=Actor("alice"), store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CaseScreen(case["id"]))
        await settle(pilot)
        assert "Service concerné : à choisir (s)" in rendered(app.screen.query_one("#case-clocks"))
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press("ctrl+s")  # the suggestion, as it stands
        await settle(pilot)
        clocks = " ".join(rendered(app.screen.query_one("#case-clocks")).split())
        assert "Service concerné : Services d'appui" in clocks
        journal = " ".join(rendered(app.screen.query_one("#case-journal")).split())
        assert "service concerné choisi" in journal and "→ Services d" in journal
    assert get_case(store, case["id"])["service"] == "support"


def test_the_yearly_report_counts_the_cases_by_service(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """By code in the JSON (no names, no personal data); by name in the coordinator's page,
    the cases whose service is not set counted apart."""
    import json

    from plaintes_tui.cli import main

    cases = [add_case(store, date(2026, 3, day)) for day in (2, 3, 4, 5)]
    for case, service in zip(
        cases[:3], ("dg_handicap", "dg_handicap", "social_inspection"), strict=True
    ):
        do(store, case["id"], Move.SERVICE, service=service)
    db = str(store.path)
    assert main(["--db", db, "report", "--year", "2026", "--format", "json"]) == 0
    counts = json.loads(capsys.readouterr().out)["by_service"]
    assert counts == {"dg_handicap": 2, "social_inspection": 1, "": 1}
    assert main(["--db", db, "report", "--year", "2026"]) == 0
    page = capsys.readouterr().out
    assert "| DG Personnes handicapées | 2 |" in page
    assert "| Inspection sociale | 1 |" in page and "| non renseigné | 1 |" in page


def test_a_complaint_logged_gets_the_service_its_category_suggests(store: Store) -> None:
    """At intake the settings' mapping proposes the service (journaled with the logging);
    another category, or none mapped, leaves it to be chosen in the case file."""
    from datetime import datetime

    from plaintes_tui.domain.intake import check_form
    from plaintes_tui.domain.services import DEFAULT_SERVICES
    from plaintes_tui.store.cases import create_case, intake_inputs
    from tests.factories import CALCULATOR, NOW

    def logged(category: str) -> dict[str, Any]:
        form = {
            "channel": "letter",
            "received": "20/11/2026",
            "last_name": "Dubois",
            "first_name": "Hélène",
            "email": "helene@example.be",
            "language": "fr",
            "category": category,
            "subject": "Brochure",
            "description": "Illisible.",
        }
        checked = check_form(form, date(2026, 11, 28))
        assert not checked.errors, checked.errors
        person, case = intake_inputs(checked, datetime(2026, 11, 28, 10), DEFAULT_SERVICES)
        return create_case(
            store, person, case, actor=Actor("alice"), now=NOW, calculator=CALCULATOR
        )

    mapped, other = logged("unclear_publication"), logged("staff_conduct")
    assert (mapped["service"], other["service"]) == ("support", None)
    assert journal_of(store, mapped["id"])[0].changes["service"] == [None, "support"]
    assert verify_store(store).ok


async def test_the_queue_shows_the_cases_of_one_service_from_the_palette(store: Store) -> None:
    """The palette offers each active service; chosen, the queue holds its cases only and the
    filter line names it."""
    from textual.command import Hit

    from plaintes_tui.domain.access import Actor
    from plaintes_tui.settings import Settings
    from plaintes_tui.tui.app import PlaintesApp
    from plaintes_tui.tui.commands import QueueCommands
    from plaintes_tui.tui.widgets.filter_line import FilterLine
    from tests.factories import TODAY
    from tests.pilot import settle
    from tests.screen_text import rendered
    from tests.test_queue_screen import table

    theirs, other = add_case(store, date(2026, 11, 20)), add_case(store, date(2026, 11, 21))
    do(store, theirs["id"], Move.SERVICE, service="dg_self_employed")
    app = PlaintesApp(Settings(), agent=Actor("alice"), store=store, today=TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        provider = QueueCommands(app.screen)
        hits = [hit async for hit in provider.search("Service concerné : DG Indép")]
        assert isinstance(hits[0], Hit)
        assert str(hits[0].match_display) == "Service concerné : DG Indépendants"
        app.call_later(hits[0].command)  # as the palette does
        await settle(pilot)
        shown = rendered(table(app))
        assert theirs["reference"] in shown and other["reference"] not in shown
        line = " ".join(rendered(app.screen.query_one(FilterLine)).split())
        assert "service concerné : DG Indépendants" in line


def test_the_export_without_personal_data_carries_the_service_code(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import io
    import json

    from plaintes_tui.cli import main

    case = add_case(store, date(2026, 11, 20))
    do(store, case["id"], Move.SERVICE, service="social_inspection")
    add_case(store, date(2026, 11, 21))
    assert main(["--db", str(store.path), "export", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["service"] for row in rows] == ["social_inspection", ""]
    assert main(["--db", str(store.path), "export"]) == 0
    cases = json.loads(capsys.readouterr().out)
    assert [case["service"] for case in cases] == ["social_inspection", None]
