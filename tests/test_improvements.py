"""Improvement actions: records of their own (title, service, owner, due date, status with its
days), linked to the cases that led to them, each change through their door and journaled in
a chain that verify holds them to."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest

from plaintes_tui.domain.access import Actor, Role
from plaintes_tui.domain.improvements import ImprovementStatus
from plaintes_tui.store.case_writer import MoveRefused
from plaintes_tui.store.cases import journal_of
from plaintes_tui.store.database import Store
from plaintes_tui.store.improvements import (
    ImprovementFilter,
    create_improvement,
    get_improvement,
    improvements_of_case,
    link_case,
    list_improvements,
    update_improvement,
)
from plaintes_tui.store.verify import verify_store
from tests.factories import NOW, TODAY, add_case

AGENT, CHIEF = Actor("alice"), Actor("chef", Role.SUPERVISOR)


def proposed(store: Store, **fields: object) -> int:
    case = add_case(store, date(2026, 10, 1))
    return create_improvement(
        store,
        {"title": "Motiver les refus", "service": "dg_handicap", "owner": "bob", **fields},
        actor=AGENT,
        now=NOW,
        case_id=case["id"],
    )


def change(store: Store, action: int, actor: Actor, at: datetime = NOW, **fields: object) -> None:
    """Change the action as it stands now."""
    version = get_improvement(store, action).version
    update_improvement(store, action, version, fields, actor=actor, now=at)


def test_an_action_is_proposed_from_a_case_and_linked_to_several(store: Store) -> None:
    action = proposed(store, due=date(2027, 3, 31))
    other = add_case(store, date(2026, 10, 2))
    link_case(store, action, other["id"], actor=AGENT, now=NOW)
    link_case(store, action, other["id"], actor=AGENT, now=NOW)  # once is enough
    found = get_improvement(store, action)
    assert (found.reference, found.status, found.proposed_on) == (
        "A-2026-001",
        ImprovementStatus.PROPOSED,
        TODAY,
    )
    assert found.cases == ("P-2026-00001", "P-2026-00002")
    assert [i.reference for i in improvements_of_case(store, other["id"])] == ["A-2026-001"]
    linked = [e for e in journal_of(store, other["id"]) if e.action == "improvement_linked"]
    assert len(linked) == 1 and linked[0].changes["improvement"] == [None, "A-2026-001"]
    assert verify_store(store).ok, verify_store(store).problems


def test_its_status_moves_by_the_rule_each_step_with_its_day(store: Store) -> None:
    action = proposed(store)
    with pytest.raises(MoveRefused, match="seul un superviseur"):
        change(store, action, AGENT, NOW, status="decided")
    with pytest.raises(MoveRefused, match="pas directement"):
        change(store, action, CHIEF, NOW, status="done")
    change(store, action, CHIEF, NOW, status="decided")
    later = datetime(2027, 1, 15, 10)
    change(store, action, AGENT, later, status="in_progress")
    change(store, action, AGENT, later, status="done")
    found = get_improvement(store, action)
    assert (found.decided_on, found.started_on, found.done_on) == (
        TODAY,
        date(2027, 1, 15),
        date(2027, 1, 15),
    )
    assert verify_store(store).ok


def test_a_stale_copy_and_a_read_only_login_write_nothing(store: Store) -> None:
    action = proposed(store)
    read = get_improvement(store, action).version
    change(store, action, AGENT, owner="carla")
    with pytest.raises(MoveRefused, match="modifiée entre-temps par alice"):
        update_improvement(store, action, read, {"owner": "dan"}, actor=AGENT, now=NOW)
    with pytest.raises(MoveRefused):
        change(store, action, Actor("eve", read_only=True), owner="dan")
    assert get_improvement(store, action).owner == "carla"


def test_the_list_filters_by_status_service_and_lateness(store: Store) -> None:
    late = proposed(store, due=date(2026, 11, 1))
    proposed(store, title="Plus tard", due=date(2027, 6, 1), service="social_inspection")
    done = proposed(store, title="Fait", due=date(2026, 9, 1))
    change(store, done, CHIEF, NOW, status="decided")
    change(store, done, CHIEF, NOW, status="done")

    def titles(**flt: object) -> list[str]:
        chosen = ImprovementFilter(**flt)  # type: ignore[arg-type]
        return [i.title for i in list_improvements(store, chosen, today=TODAY)]

    assert titles() == ["Motiver les refus", "Plus tard", "Fait"]  # open first, by due date
    assert titles(late_only=True) == ["Motiver les refus"]
    assert titles(service="social_inspection") == ["Plus tard"]
    assert titles(status=ImprovementStatus.DONE) == ["Fait"]
    assert get_improvement(store, late).late(TODAY)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE improvements SET status = 'done'",
        "UPDATE improvements SET owner = 'mallory'",
        "INSERT INTO improvement_cases SELECT 1, id FROM cases WHERE id = 2",
        "DROP TRIGGER improvement_journal_no_delete; DELETE FROM improvement_journal WHERE id = 1",
        "DROP TRIGGER improvement_journal_no_update; UPDATE improvement_journal SET agent = 'x'",
    ],
)
def test_an_action_changed_behind_the_programs_back_is_found(store: Store, statement: str) -> None:
    proposed(store)
    add_case(store, date(2026, 10, 5))
    assert verify_store(store).ok
    connection = sqlite3.connect(store.path, isolation_level=None)
    connection.executescript(statement)
    connection.close()
    problems = verify_store(store).problems
    assert problems and any(
        "A-2026-001" in p or "trigger" in p.lower() or "déclencheur" in p for p in problems
    ), problems


async def test_the_case_file_proposes_an_action_and_the_screen_decides_it(store: Store) -> None:
    """`A` in a case file proposes an action from it (its service proposed); the actions'
    screen (`i` from the queue) lists it; a supervisor decides it there, at 80×24."""
    from plaintes_tui.settings import Settings
    from plaintes_tui.tui.app import PlaintesApp
    from plaintes_tui.tui.dialogs.form import FormDialog
    from plaintes_tui.tui.screens.case import CaseScreen
    from plaintes_tui.tui.screens.improvements import ImprovementsScreen
    from tests.pilot import settle
    from tests.screen_text import rendered

    case = add_case(store, date(2026, 11, 20))
    app = PlaintesApp(Settings(), agent=CHIEF, store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CaseScreen(case["id"]))
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press("enter")  # a new action from this case
        await settle(pilot)
        await pilot.press(*"[b]Motiver les refus", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen), rendered(app.screen)
        panel = " ".join(rendered(app.screen.query_one("#case-improvements")).split())
        assert "A-2026-001 [b]Motiver les refus — proposée" in panel
        app.pop_screen()
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ImprovementsScreen)
        listed = " ".join(rendered(app.screen.query_one("#improvements-list")).split())
        assert "A-2026-001 proposée — [b]Motiver les refus" in listed
        detail = " ".join(rendered(app.screen.query_one("#improvements-detail")).split())
        assert "Dossiers liés : P-2026-00001" in detail
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press("ctrl+s")  # unchanged: nothing written
        await settle(pilot)
    action = list_improvements(store, today=TODAY)[0]
    assert (action.title, action.cases, action.version) == (
        "[b]Motiver les refus",
        ("P-2026-00001",),
        2,
    )


def test_the_yearly_report_lists_the_actions_and_counts_them(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """The actions alive in the year — proposed by its end, not finished before it — with
    their status today; counted by status and by service, in the JSON and on the page."""
    import json

    from plaintes_tui.cli import main

    finished_before = proposed(store, title="Ancienne", service=None)
    change(store, finished_before, CHIEF, datetime(2026, 12, 1, 10), status="dropped")
    proposed(store, due=date(2027, 3, 31))
    db = str(store.path)
    assert main(["--db", db, "report", "--year", "2027", "--format", "json"]) == 0
    actions = json.loads(capsys.readouterr().out)["improvements"]
    assert [a["reference"] for a in actions["list"]] == ["A-2026-002"]
    assert actions["by_status"]["proposed"] == 1 and actions["by_service"] == {"dg_handicap": 1}
    assert main(["--db", db, "report", "--year", "2026"]) == 0
    page = capsys.readouterr().out
    assert (
        "| A-2026-002 | Motiver les refus | DG Personnes handicapées | proposée | 31/03/2027 | 1 |"
        in page
    )
    assert "Par état : proposée 1, décidée 0, en cours 0, réalisée 0, abandonnée 1." in page


def test_the_exports_carry_the_actions_of_a_case(store: Store) -> None:
    """The export without personal data: each case's action references (codes); the person
    export: each of their cases' actions, with title and status."""
    from plaintes_tui.store.export import iter_export_rows
    from plaintes_tui.store.person_file import person_file

    action = proposed(store)
    rows = list(iter_export_rows(store))
    assert [row["improvements"] for row in rows] == ["A-2026-001"]
    complainant = add_case(store, date(2026, 10, 3))["complainant_id"]
    link_case(store, action, 2, actor=AGENT, now=NOW)
    [case] = [c for c in person_file(store, complainant)["cases"] if c["id"] == 2]
    assert case["improvement_actions"] == [
        {"reference": "A-2026-001", "title": "Motiver les refus", "status": "proposed"}
    ]


async def test_a_filter_key_and_enter_in_one_go_edit_an_action_of_the_filtered_list(
    store: Store,
) -> None:
    """``s enter`` sent at once (tmux, SSH): the enter waits for the proposed actions and
    opens the first of them — not the first of the list before it was filtered."""
    from plaintes_tui.settings import Settings
    from plaintes_tui.tui.app import PlaintesApp
    from plaintes_tui.tui.dialogs.form import FormDialog
    from plaintes_tui.tui.screens.improvements import ImprovementsScreen
    from tests.pilot import burst, settle

    decided = proposed(store, title="Décidée", due=date(2026, 12, 10))
    change(store, decided, CHIEF, status="decided")
    proposed(store, title="Proposée", due=date(2027, 3, 1))
    app = PlaintesApp(Settings(), agent=CHIEF, store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ImprovementsScreen())
        await settle(pilot)
        burst(pilot, "s", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        assert app.screen.form_title == "A-2026-002 — Proposée"


async def test_a_long_description_gives_way_to_the_linked_cases_on_a_short_terminal(
    store: Store,
) -> None:
    """At 80×24 the action's detail shows its linked cases and as much of its description as
    fits, ending in "…" (enter shows it whole); at 160×50 it shows the whole description."""
    from plaintes_tui.settings import Settings
    from plaintes_tui.tui.app import PlaintesApp
    from plaintes_tui.tui.screens.improvements import ImprovementsScreen
    from tests.pilot import settle
    from tests.screen_text import rendered

    description = " ".join(f"Étape {n} : relire les lettres de refus du mois." for n in range(20))
    proposed(store, description=description)
    for size, whole in (((80, 24), False), ((160, 50), True)):
        app = PlaintesApp(Settings(), agent=CHIEF, store=store, today=TODAY)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            app.push_screen(ImprovementsScreen())
            await settle(pilot)
            detail = " ".join(rendered(app.screen.query_one("#improvements-detail")).split())
            assert "Dossiers liés : P-2026-00001" in detail
            assert ("Étape 19 : relire les lettres de refus du mois." in detail) is whole
            assert detail.endswith("…") is not whole
