"""Assigning: to an active agent of the directory only, shown with their workload."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from plaintes_tui.domain.contacts import Person
from plaintes_tui.domain.workflow import Move
from plaintes_tui.settings import AgentSettings
from plaintes_tui.store.cases import get_case
from plaintes_tui.store.database import Store
from plaintes_tui.store.workflow import MoveRefused
from plaintes_tui.store.workload import workload
from plaintes_tui.tui.dialogs.assign import assignable_agents
from tests.factories import add_case, do, new_store


@pytest.fixture
def store(isolated: Path) -> Store:
    return new_store(isolated)


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
