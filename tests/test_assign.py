"""Assigning: to an active agent of the directory only, shown with their workload."""

from __future__ import annotations

from datetime import date

import pytest

from plaintes_tui.domain.contacts import Person
from plaintes_tui.domain.workflow import Move
from plaintes_tui.settings import AgentSettings
from plaintes_tui.store.case_writer import MoveRefused
from plaintes_tui.store.cases import get_case
from plaintes_tui.store.database import Store
from plaintes_tui.store.workload import workload
from plaintes_tui.tui.dialogs.assign import assignable_agents
from tests.factories import add_case, do


def assign(store: Store, case_id: int, agent: str, assignable: tuple[str, ...] | None) -> None:
    do(store, case_id, Move.ASSIGN, supervisor=True, by="sup", agent=agent, assignable=assignable)


def test_a_misspelt_or_departed_agent_is_refused_by_the_workflow(store: Store) -> None:
    case = add_case(store, date(2026, 11, 20))
    with pytest.raises(MoveRefused, match="« amartn » n'est pas un agent actif"):
        assign(store, case["id"], "amartn", ("amartin", "bjanssens"))
    assert get_case(store, case["id"])["assigned_to"] is None
    assign(store, case["id"], "amartin", ("amartin", "bjanssens"))
    assert get_case(store, case["id"])["assigned_to"] == "amartin"


def test_each_agent_is_offered_with_open_and_overdue_cases(store: Store) -> None:
    late = add_case(store, date(2026, 10, 1))  # its acknowledgement is long overdue
    recent = add_case(store, date(2026, 11, 27))
    add_case(store, date(2026, 11, 27))  # unassigned
    for case in (late, recent):
        assign(store, case["id"], "amartin", None)
    load = workload(store, date(2026, 11, 28))
    assert load == {"amartin": (2, 1), None: (1, 0)}
    directory = {
        "amartin": Person("Anne Martin"),
        "ex": Person("Ex Agent", active=False),
        "zed": Person("Zoé Durand"),
    }
    settings = AgentSettings(directory=directory)
    agents, hint = assignable_agents(settings, settings.trusted("sup"), load)
    assert [(a.login, a.name, a.open, a.overdue) for a in agents] == [
        ("amartin", "Anne Martin", 2, 1),
        ("zed", "Zoé Durand", 0, 0),
    ]
    assert hint == ""
    legacy = AgentSettings(supervisors=("chef",))
    seen, hint = assignable_agents(legacy, legacy.trusted("chef"), load)
    assert [a.login for a in seen] == ["amartin", "chef"] and "[agents.directory]" in hint


def test_spread_gives_the_next_case_to_the_least_loaded() -> None:
    from plaintes_tui.tui.dialogs.assign import Assignable, spread

    given = spread([1, 2, 3, 4, 5], [Assignable("paul", "Paul", 2), Assignable("zed", "Zoé", 0)])
    assert given == {1: "zed", 2: "zed", 3: "paul", 4: "zed", 5: "paul"}


async def test_an_ill_agents_cases_are_spread_among_two_colleagues(store: Store) -> None:
    from plaintes_tui.settings import Settings
    from plaintes_tui.tui.app import PlaintesApp
    from plaintes_tui.tui.dialogs.assign import AssignDialog
    from tests.pilot import settle
    from tests.screen_text import rendered
    from tests.test_queue_screen import names

    directory = {
        "marie": Person("Marie Leroy"),
        "paul": Person("Paul Claes"),
        "zed": Person("Zoé Durand"),
        "sup": Person("Sam Chef", role="supervisor"),
    }
    ill = [add_case(store, date(2026, 11, day)) for day in range(16, 22)]
    for case in ill:
        assign(store, case["id"], "marie", tuple(directory))
    add_case(store, date(2026, 11, 23))  # nobody's: not Marie's, stays unmarked
    settings = Settings(agents=AgentSettings(directory=directory))
    app = PlaintesApp(settings, agent="sup", store=store, today=date(2026, 11, 28))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g")  # Marie, the only agent with open cases
        await settle(pilot)
        assert len(names(app)) == 6
        await pilot.press("asterisk")  # all her cases, every page
        await settle(pilot)
        assert "6 marqué" in rendered(app.screen.query_one("#queue-filter"))
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, AssignDialog)
        labels = rendered(app.screen.query_one("#assign-agents"))
        assert "Marie Leroy" not in labels  # her cases go to the others
        assert "Paul Claes (paul) — 0 ouvert(s)" in labels  # each with their workload
        await pilot.press("space", "down", "down", "space")  # Paul and Zoé
        await pilot.pause()
        assert app.screen.picked == ["paul", "zed"]
        await pilot.press("enter")
        await settle(pilot)
        # Shown before anything is written: who gets how many, and their load after.
        from plaintes_tui.tui.dialogs.confirm import ConfirmDialog

        assert isinstance(app.screen, ConfirmDialog)
        assert "Paul Claes : 3 (dossiers ouverts 0 → 3)" in app.screen.question
        assert "Zoé Durand : 3 (dossiers ouverts 0 → 3)" in app.screen.question
        assert get_case(store, ill[0]["id"])["assigned_to"] == "marie"
        await pilot.press("o")
        await settle(pilot)
        assert any(
            "6 dossier(s) attribué(s) : 3 à Paul Claes, 3 à Zoé Durand" in n.message
            for n in app._notifications
        )
    owners = [get_case(store, case["id"])["assigned_to"] for case in ill]
    assert sorted(owners) == ["paul"] * 3 + ["zed"] * 3
    from plaintes_tui.store.cases import journal_of

    for case in ill:
        entry = journal_of(store, case["id"])[-1]
        assert (entry.action, entry.agent) == ("assign", "sup")
        assert entry.changes["assigned_to"][0] == "marie"


async def test_keys_typed_right_after_A_go_to_the_agents_dialog_not_the_queue(
    store: Store,
) -> None:
    """A supervisor types `A` then, at once, `space` to pick an agent: the space picks in the
    dialog; it does not reach the queue under it, where it would mark a case."""
    from plaintes_tui.settings import Settings
    from plaintes_tui.tui.app import PlaintesApp
    from plaintes_tui.tui.dialogs.assign import AssignDialog
    from tests.pilot import burst, settle

    directory = {
        "paul": Person("Paul Claes"),
        "zed": Person("Zoé Durand"),
        "sup": Person("Sam Chef", role="supervisor"),
    }
    for day in (16, 17, 18):
        add_case(store, date(2026, 11, day))
    settings = Settings(agents=AgentSettings(directory=directory))
    app = PlaintesApp(settings, agent="sup", store=store, today=date(2026, 11, 28))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space", "down", "space")  # two cases marked
        await settle(pilot)
        queue = app.screen
        marked = dict(queue.table.marked)  # type: ignore[attr-defined]
        burst(pilot, "A", "space", "down", "space")  # as fast as a terminal sends them
        await settle(pilot)
        assert isinstance(app.screen, AssignDialog)
        assert app.screen.picked == ["paul", "sup"]  # by name: Paul, Sam, Zoé
        assert queue.table.marked == marked  # type: ignore[attr-defined]


async def test_a_spread_that_gives_one_agent_nothing_is_shown_and_can_be_declined(
    store: Store,
) -> None:
    from plaintes_tui.settings import Settings
    from plaintes_tui.tui.app import PlaintesApp
    from plaintes_tui.tui.dialogs.confirm import ConfirmDialog
    from tests.pilot import settle

    directory = {
        "paul": Person("Paul Claes"),
        "zed": Person("Zoé Durand"),
        "sup": Person("Sam Chef", role="supervisor"),
    }
    for day in range(2, 7):  # Paul already has five
        assign(store, add_case(store, date(2026, 11, day))["id"], "paul", tuple(directory))
    new = [add_case(store, date(2026, 11, day)) for day in (24, 25, 26)]
    settings = Settings(agents=AgentSettings(directory=directory))
    app = PlaintesApp(settings, agent="sup", store=store, today=date(2026, 11, 28))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        for _ in range(5):
            await pilot.press("down")
        await pilot.press("space", "space", "space", "A")  # the three new ones (space moves on)
        await settle(pilot)
        await pilot.press("space", "down", "down", "space", "enter")  # Paul and Zoé
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Paul Claes : 0 (dossiers ouverts 5 → 5)" in app.screen.question
        assert "Zoé Durand : 3 (dossiers ouverts 0 → 3)" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
    assert [get_case(store, case["id"])["assigned_to"] for case in new] == [None] * 3
